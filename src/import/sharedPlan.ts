/** The plan this product serves first, beside the repository (../shared/plans/…): the seed of `npm start` and the CLI's default. */
import path from 'node:path';

// The same depth from src/import (tsx) and dist/import (built): two folders up is the repository.
export const SHARED_PLAN_FILE = path.resolve(__dirname, '..', '..', '..', 'shared', 'plans', 'prevent-delivery-plan-2018-19.md');
