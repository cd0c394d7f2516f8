import { parseOutput } from '../../src/domain/outputs';

describe('parseOutput', () => {
  it.each([
    ['25 x 2 hour training sessions:', { target: 25, unit: 'sessions' }],
    ['4 x evening WRAP training sessions', { target: 4, unit: 'sessions' }],
    ['39 workshops delivered in the community', { target: 39, unit: 'workshops' }],
    ['300 Workshops', { target: 300, unit: 'workshops' }],
    ['15 trained Prevent Champions', { target: 15, unit: 'champions' }],
    ['Roundtable event in a local space with 50 attendees.', { target: 50, unit: 'attendees' }],
    ['1,200 residents reached', { target: 1200, unit: 'reached' }],
  ])('"%s" has a count target', (text, expected) => {
    const out = parseOutput(text);
    expect(out.target).toBe(expected.target);
    expect(out.unit).toBe(expected.unit);
    expect(out.atLeast).toBeUndefined();
  });

  it('reads percentages and floors', () => {
    expect(parseOutput('95% of Youth Services staff are WRAP trained')).toEqual({
      text: '95% of Youth Services staff are WRAP trained',
      target: 95,
      unit: '%',
    });
    expect(parseOutput('500+ reached')).toEqual({ text: '500+ reached', target: 500, unit: 'reached', atLeast: true });
  });

  it.each([
    '2 hour workshops, delivered 1-4 weeks apart. Young people complete a homework task',
    '2-3hr workshops delivered in community settings such as schools, community centres and Mosques',
    'Train the Teacher workshops (2 per term) to provide resilience within the school',
    'Induction includes Wrap Training for all elected members within 3 months of appointment and refresher every 2 years.',
    'Numbers of staff trained in Prevent',
    'Yearly training programme incorporates the Prevent Agenda from 2019',
  ])('"%s" has no target', (text) => {
    const out = parseOutput(text);
    expect(out.target).toBeUndefined();
    expect(out.unit).toBeUndefined();
  });

  it('strips bullets and folds white space in the text', () => {
    expect(parseOutput('\u2022  Universal   provision of support ').text).toBe('Universal provision of support');
  });
});
