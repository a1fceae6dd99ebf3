import { Type } from 'typebox';
import { IsoDate } from '../../core/dates.ts';
import { birthRequirements } from '../../births/requirements.ts';
import { type BirthDeps, localDate } from '../../births/workflow.ts';
import type { App } from '../types.ts';
import { tags } from './births-common.ts';

const Evidence = Type.Array(Type.Array(Type.String()), { description: 'each entry a list of document types of which one is needed' });
const Timeliness = Type.Union([Type.Literal('current'), Type.Literal('late'), Type.Literal('delayed')]);
const Names = Type.Object({ kk: Type.String(), ru: Type.String(), en: Type.String() });

/** GET /births/requirements: what a declaration must bring, so a form can list what is still missing as it is filled. */
export function registerBirthRequirementRoutes(app: App, deps: BirthDeps): void {
  app.get(
    '/api/v1/births/requirements',
    {
      config: { scope: 'birth.declare' },
      schema: {
        tags,
        summary: 'The documents each legal path needs, the extras for a late or delayed registration, and the document types with their names',
        description: 'With `dateOfBirth`, also the timeliness a declaration made today would have (current, late or delayed), which decides the extras.',
        querystring: Type.Object({ dateOfBirth: Type.Optional(IsoDate) }),
        response: {
          200: Type.Object({
            paths: Type.Record(Type.String(), Evidence),
            timeliness: Type.Object({ late: Evidence, delayed: Evidence }),
            approvalNeeded: Type.Array(Timeliness),
            documentTypes: Type.Array(Type.Object({ type: Type.String(), name: Names })),
            dateOfBirth: Type.Optional(Type.Object({ date: Type.String(), timeliness: Timeliness })),
          }),
        },
      },
    },
    async (request) => birthRequirements(deps.rules, localDate(deps.clock.now(), deps.timeZone), request.query.dateOfBirth),
  );
}
