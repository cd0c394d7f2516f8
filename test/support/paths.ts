import path from 'node:path';
export { SHARED_PLAN_FILE as SHARED_PLAN } from '../../src/import/sharedPlan';

export const REPO = path.resolve(__dirname, '..', '..');
