/** The card validator itself: it must find what Teams would refuse, or every card test passes for nothing. */
import { CARD_LIMIT_BYTES, checkCards, expectValidCard, expectValidCards } from './validateCard';

const valid = {
  type: 'AdaptiveCard',
  version: '1.5',
  body: [
    { type: 'TextBlock', text: 'How is the item going?', wrap: true },
    {
      type: 'Input.ChoiceSet',
      id: 'rag',
      label: 'Status',
      isRequired: true,
      errorMessage: 'Choose one',
      choices: [{ title: 'Green', value: 'green' }],
    },
  ],
  actions: [{ type: 'Action.Execute', title: 'Send', verb: 'recordStatus', data: {} }],
};

describe('validateCard', () => {
  it('passes a valid 1.5 card and measures it', () => {
    const check = expectValidCard(valid);
    expect(check.problems).toEqual([]);
    expect(check.bytes).toBe(Buffer.byteLength(JSON.stringify(valid)));
  });

  it('reports each problem of each card in a batch, in order', () => {
    const [ok, unknownType, duplicateIds, unlabelled, wrongVersion] = checkCards([
      valid,
      { ...valid, body: [{ type: 'Carousel', pages: [] }] },
      {
        ...valid,
        body: [
          { type: 'Input.Text', id: 'x', label: 'A' },
          { type: 'Input.Text', id: 'x', label: 'B' },
        ],
      },
      { ...valid, body: [{ type: 'Input.Text', id: 'note', isRequired: true }] },
      { ...valid, version: '1.6' },
    ]);
    expect(ok!.problems).toEqual([]);
    expect(unknownType!.problems).toEqual([expect.objectContaining({ event: 'UnknownElementType' })]);
    expect(duplicateIds!.problems).toEqual([expect.objectContaining({ event: 'DuplicateId' })]);
    expect(unlabelled!.problems).toEqual(expect.arrayContaining([expect.objectContaining({ event: 'RequiredInputsShouldHaveLabel' })]));
    expect(wrongVersion!.problems).toEqual([expect.objectContaining({ event: 'Version', message: 'version is 1.6, expected 1.5' })]);
  });

  it('refuses a card of 28 KB or more, saying which card and why', () => {
    const big = { ...valid, body: [{ type: 'TextBlock', text: 'x'.repeat(CARD_LIMIT_BYTES), wrap: true }] };
    expect(() => expectValidCards([valid, big])).toThrow(/card 1: \[size\/TooLarge\] \d+ bytes \(limit 28672\)/);
  });
});
