import { extractRecommendationRefs } from '../../src/domain/recommendationRefs';

describe('extractRecommendationRefs', () => {
  it('finds single and combined references and strips them from the title', () => {
    expect(extractRecommendationRefs('Develop a Performance Management Framework for Prevent (Peer Review Rec 1 & 4)')).toEqual({
      text: 'Develop a Performance Management Framework for Prevent',
      refs: [{ source: 'Peer Review', numbers: [1, 4] }],
    });
    expect(extractRecommendationRefs('Establish a Community Reference Group (Peer Review Rec 6)').refs).toEqual([
      { source: 'Peer Review', numbers: [6] },
    ]);
  });

  it('reads other sources and list forms', () => {
    expect(extractRecommendationRefs('Do the thing (Inspection Rec 2)').refs).toEqual([{ source: 'Inspection', numbers: [2] }]);
    expect(extractRecommendationRefs('X (Audit Recommendations 3, 5 and 7)').refs).toEqual([{ source: 'Audit', numbers: [3, 5, 7] }]);
  });

  it('leaves other parentheses alone', () => {
    expect(extractRecommendationRefs('Review the SOP (Standard Operating Procedure)')).toEqual({
      text: 'Review the SOP (Standard Operating Procedure)',
      refs: [],
    });
  });
});
