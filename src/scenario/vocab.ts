/** The scenario format's fixed vocabularies, without the validation library (the model and the CLI's start-up read them). */
export const REGIONS = ['africa', 'asia', 'europe', 'latin_america', 'middle_east', 'north_america', 'oceania'] as const;
export const CITY_TYPES = ['rising', 'specialized', 'node'] as const;
export const STRATEGIES = ['fixed', 'rising', 'specialized', 'node', 'adaptive'] as const;
export const ORG_KINDS = ['un_body', 'treaty_secretariat', 'intergovernmental', 'development_bank', 'eu_agency', 'ngo',
  'city_network', 'professional_association'] as const;
export const CITY_ATTRIBUTES = ['safety', 'connectivity', 'officeCost', 'livingCost', 'workforce', 'livability', 'legal',
  'nationalSupport', 'conference', 'schools', 'openness'] as const;
export type CityAttribute = (typeof CITY_ATTRIBUTES)[number];
