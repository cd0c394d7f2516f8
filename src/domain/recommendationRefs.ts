/**
 * References to recommendations inside an action's text: "(Peer Review Rec 6)",
 * "(Peer Review Rec 1 & 4)", "(Inspection Rec 2)", "(Audit Recommendations 3, 5 and 7)".
 */
export interface RecommendationRef {
  /** The source as written before "Rec": "Peer Review", "Inspection". */
  source: string;
  numbers: number[];
}

const REF = /\(\s*([A-Za-z][A-Za-z .'&-]*?)\s+Rec(?:ommendation)?s?\.?\s*(\d+(?:\s*(?:,|&|and|\/)\s*\d+)*)\s*\)/gi;

/** Finds the references and returns the text without them. */
export function extractRecommendationRefs(text: string): { text: string; refs: RecommendationRef[] } {
  const refs: RecommendationRef[] = [];
  const stripped = text.replace(REF, (_all, source: string, nums: string) => {
    refs.push({
      source: source.replace(/\s+/g, ' ').trim(),
      numbers: nums
        .split(/\s*(?:,|&|and|\/)\s*/i)
        .map(Number)
        .filter((n) => Number.isInteger(n)),
    });
    return ' ';
  });
  return { text: stripped.replace(/\s+/g, ' ').trim(), refs };
}
