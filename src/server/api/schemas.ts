/** Request bodies and queries of the tab API, validated with zod; messages are meant for people. */
import { z } from 'zod';
import { DUE_WINDOWS, SORT_KEYS } from '../../domain/filters';
import { RAG_VALUES } from '../../domain/model';
import { isIsoDate } from '../../domain/calendar';

// Date.parse takes 2019-02-30 as 2 March: only a day the calendar has is a date.
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2018-09-30 (YYYY-MM-DD)')
  .refine(isIsoDate, 'Not a real date');
const text = (max: number, what: string) =>
  z.string().trim().min(1, `${what} cannot be empty`).max(max, `${what} is longer than ${max} characters`);

export const outputSchema = z
  .object({
    text: text(1000, 'An output'),
    target: z.number().nonnegative('A target cannot be negative').optional(),
    unit: z.string().trim().max(60).optional(),
    atLeast: z.boolean().optional(),
  })
  .strict();

export const itemPatchSchema = z
  .object({
    title: text(500, 'The title'),
    description: z.string().trim().max(4000, 'The description is longer than 4000 characters'),
    outcomes: z.array(text(2000, 'An outcome')).max(50),
    outputs: z.array(outputSchema).max(50),
    timescale: z.string().trim().max(200),
    milestones: z
      .array(isoDate)
      .max(24)
      .transform((m) => [...new Set(m)].sort()),
    start: isoDate,
    recurring: z.boolean(),
    leads: z.array(text(200, 'A lead role')).min(1, 'An item needs at least one lead role').max(10),
    provider: z.string().trim().max(500),
    objectives: z.array(z.number().int().min(1)).min(1, 'An item serves at least one objective').max(10),
    recommendations: z.array(z.number().int().min(1)).max(20),
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'Nothing to change: send at least one field');

/**
 * The shape of a status report from the tab. Only types are checked here: the rules (statuses, notes,
 * figures, revised dates) are the ones every surface applies, in domain/statusReport.ts.
 */
export const statusChangeSchema = z
  .object({
    to: z.string({ message: 'Give the status ("to") as text: red, amber, green or complete' }),
    note: z.string({ message: 'The note is text' }).optional(),
    figures: z
      .record(z.string(), z.union([z.number(), z.string()], { message: 'A figure is a number' }), {
        message: 'Figures are keyed by output number: {"0": 12}',
      })
      .optional(),
    revisedDate: z.string({ message: 'The revised date is text: YYYY-MM-DD' }).optional(),
    correctiveAction: z.string({ message: 'The corrective action is text' }).optional(),
    /** The version the person saw; the If-Match header may carry it instead. */
    version: z.string().optional(),
  })
  .strict();

export const personSchema = z
  .object({
    id: z.string().trim().min(1).max(200).optional(),
    name: text(200, 'A name'),
    email: z
      .string()
      .trim()
      .email('Not an email address')
      .optional()
      .or(z.literal('').transform(() => undefined)),
    /** Away: not asked while away; the role's deputy is asked at once. */
    away: z.boolean({ message: 'away is true or false' }).optional(),
    /** The role's deputy: asked when the leads have not answered within a week, or are away. */
    deputy: z.boolean({ message: 'deputy is true or false' }).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    // A partner held by e-mail only (outside the tenant): id `mailto:<address>`, with that address as email.
    if (!p.id || !p.id.toLowerCase().startsWith('mailto:')) return;
    const address = p.id.slice('mailto:'.length).trim();
    if (!z.email().safeParse(address).success) {
      ctx.addIssue({ code: 'custom', path: ['id'], message: `"${p.id.slice(0, 80)}" is not mailto: followed by an e-mail address` });
    } else if (p.email && p.email.toLowerCase() !== address.toLowerCase()) {
      ctx.addIssue({ code: 'custom', path: ['email'], message: `A person held by e-mail only has the address of their id (${address})` });
    }
  });

export const directoryPutSchema = z
  .object({
    roles: z.array(z.object({ role: text(200, 'A role'), people: z.array(personSchema).max(20) }).strict()).max(200),
  })
  .strict();

export const itemsQuerySchema = z.object({
  objective: z.coerce.number().int().min(1).optional(),
  lead: z.string().optional(),
  status: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',').filter(Boolean) : undefined))
    .pipe(z.array(z.enum(RAG_VALUES, { message: `Statuses are ${RAG_VALUES.join(', ')}` })).optional()),
  kind: z.enum(['action', 'project']).optional(),
  due: z.enum(DUE_WINDOWS).optional(),
  q: z.string().optional(),
  sort: z.enum(SORT_KEYS).default('plan'),
  dir: z.enum(['asc', 'desc']).default('asc'),
  asOf: isoDate.optional(),
});

export type ItemsQuery = z.infer<typeof itemsQuerySchema>;

/** The tab's opening request: the plan it was configured with, and which tab asks. */
export const startQuerySchema = z.object({
  plan: z.string().min(1).optional(),
  mode: z.enum(['channel', 'personal'], { message: 'mode is channel or personal' }).default('channel'),
});

export const dashboardQuerySchema = z.object({
  asOf: isoDate.optional(),
  upcomingDays: z.coerce.number().int().min(1).max(365).optional(),
});

/** An export takes the items list's filters and order too: it holds what the person has on screen. */
export const exportQuerySchema = itemsQuerySchema.extend({
  format: z.enum(['csv', 'xlsx'], { message: 'format is csv or xlsx' }).default('csv'),
});

export const peopleQuerySchema = z.object({ q: z.string().trim().min(2, 'Type at least 2 characters to search for people').max(100) });
