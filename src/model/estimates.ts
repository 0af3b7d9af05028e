/**
 * Coefficients whose defaults are estimates of `hqsim calibrate` (docs/validation.md, where the data, the method,
 * the intervals and the fit are reported; seeds/calibration.yaml holds the full calibration). Each replaces the
 * source-based value of src/model/params.ts, which stays there as the coefficient's prior: the centre of the
 * calibration's prior and the start of its fits. `identified` is false when the data narrow the coefficient's
 * interval by less than 30% against its prior's (the estimate is then mostly the prior and its correlations).
 * Companions are listed too: the nest scale keeps its ratio to the temperature, the resources driver's other
 * shares fill what the offer's share leaves.
 */
export const ESTIMATES: Record<string, { value: number; identified: boolean }> = {
  'stages.founding.resources': { value: 0.961, identified: false },
  'stages.founding.operations': { value: 0.195, identified: false },
  'stages.founding.values': { value: 0.183, identified: false },
  'drivers.resources.offer': { value: 0.4954, identified: false },
  'drivers.resources.officeCost': { value: 0.2523, identified: false },
  'drivers.resources.nationalSupport': { value: 0.2523, identified: false },
  'money.halfValueShare': { value: 0.0817, identified: false },
  'move.costWeight': { value: 0.0843, identified: false },
  'choice.stayBonus': { value: 0.0378, identified: false },
  'choice.temperature': { value: 0.18, identified: false },
  'choice.nestScale': { value: 0.108, identified: false },
  'contest.campaignNoise': { value: 0.0749, identified: true },
  'choice.clusterWeight': { value: 0.123, identified: false },
  'contest.balanceWeight': { value: 0.147, identified: false },
  'review.dissatisfactionHazard': { value: 1.75, identified: true },
  'review.courtingHazard': { value: 0.133, identified: true },
  'review.triggerHazard': { value: 3.35, identified: false },
  'anchor.ageWeight': { value: 0.753, identified: true },
  'choice.dutyOfCarePenalty': { value: 2.22, identified: false },
};
