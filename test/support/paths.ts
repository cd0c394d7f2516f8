import path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');
export const SHARED_PLAN = path.resolve(REPO, '..', 'shared', 'plans', 'prevent-delivery-plan-2018-19.md');
