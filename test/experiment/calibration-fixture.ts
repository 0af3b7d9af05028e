/** Calibration files for tests of parameter uncertainty (the uncertainty: block hqsim calibrate writes). */

/** The campaign shock and the stay bonus, log-normal around 0.1, sd 0.5 on the log scale. */
export const CALIBRATION = `# hqsim calibration (test)
parameters: { contest: { campaignNoise: 0.1 }, choice: { stayBonus: 0.1 } }
uncertainty:
  coordinates:
    - { path: contest.campaignNoise, transform: log }
    - { path: choice.stayBonus, transform: log }
  mean: [-2.302585, -2.302585]
  covariance: [[0.25, 0], [0, 0.25]]
`;

/**
 * The founding rate (0 by default: no synthetic foundings), log-normal around 3 a year, and the stay bonus: a
 * metric that counts foundings is constant without the draw and spreads with it.
 */
export const FOUNDING_CALIBRATION = `uncertainty:
  coordinates:
    - { path: foundings.rate, transform: log }
    - { path: choice.stayBonus, transform: log }
  mean: [1.0986, -2.302585]
  covariance: [[0.5, 0], [0, 0.25]]
`;
