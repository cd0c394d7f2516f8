/**
 * A plan document in the shared template with `n` items, for benchmarks and large-plan tests.
 * Deterministic: the same n gives the same text.
 */
const LEADS = [
  'Prevent Co-ordinator',
  'Prevent Education Officer',
  'HE/FE co-ordinator',
  'Inspector (Local Operations/MPS)',
  'Communications Manager',
  'Youth Engagement Officer',
];
const MONTHS = ['April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December', 'January', 'February', 'March'];
const WORDS = ['OBJECTIVE ONE', 'OBJECTIVE TWO', 'OBJECTIVE THREE', 'OBJECTIVE FOUR'];
const OBJECTIVES = [
  'Target support to individuals at risk',
  'Strengthen community leadership',
  'Strengthen positive social networks and institutions',
  'Mainstream Prevent across all Directorates',
];

export function generatePlanDocument(n: number): string {
  const lines = [
    '# **Borough of Benchmark**',
    '',
    '## **Prevent Delivery Plan**',
    '',
    '### **2018 - 19**',
    '',
    '## Local Strategic Prevent Objectives',
    '',
    ...OBJECTIVES.map((o, i) => `${i + 1}. ${o}`),
    '',
    '## Benchmark Peer Review 2018',
    '',
    '### Key Recommendations',
    '',
    '1. Develop performance management framework',
    '2. Train key services',
    '3. Develop Prevent Champions',
    '',
  ];
  const perObjective = Math.ceil(n / 4);
  let made = 0;
  for (let o = 0; o < 4 && made < n; o++) {
    lines.push(`**${WORDS[o]}: ${OBJECTIVES[o]}**`, '', 'Action\tOutcomes\tOutputs\tTimescale\tLead\tRAG status');
    for (let i = 0; i < perObjective && made < n; i++, made++) {
      const month = MONTHS[made % 12]!;
      const year = made % 12 < 9 ? 2018 : 2019;
      const timescale = made % 7 === 0 ? `April 2018 \u2013 ${month} ${year}` : made % 11 === 0 ? 'Ongoing' : `${month} ${year}`;
      const leads = made % 3 === 0 ? `${LEADS[made % LEADS.length]} / ${LEADS[(made + 1) % LEADS.length]}` : LEADS[made % LEADS.length]!;
      const rec = made % 5 === 0 ? ` <i>(Peer Review Rec ${(made % 3) + 1})</i>` : '';
      lines.push(
        `Action ${made + 1}: deliver activity ${made + 1} across the borough${rec}\t<p>Outcome ${made + 1} is achieved.</p> <p>Partners are engaged.</p>\t<ul style="list-style-type: none"> <li>\u2022 ${10 + (made % 40)} x 2 hour training sessions</li> <li>\u2022 ${50 + (made % 50)}% of staff trained</li> </ul>\t${timescale}\t${leads}\t`,
      );
      if (i % 50 === 49) lines.push('');
    }
    lines.push('');
  }
  return lines.join('\n');
}
