import { Type } from 'typebox';
import { getPlace, listChildren, listFacilities, listOffices, searchPlaces } from '../../places/store.ts';
import type { App, AppDeps } from '../types.ts';

const Names = Type.Object({ kk: Type.String(), ru: Type.String(), en: Type.String() });
const Kato = Type.String({ pattern: '^[0-9]{9}$', description: '9-digit KATO code' });

const PlaceView = Type.Object({
  kato: Type.String(),
  parentKato: Type.Union([Type.String(), Type.Null()]),
  level: Type.String(),
  kind: Type.String(),
  name: Names,
  population: Type.Union([Type.Number(), Type.Null()]),
  crudeBirthRate: Type.Union([Type.Number(), Type.Null()]),
  path: Type.Optional(Type.Array(Type.Object({ kato: Type.String(), name: Names }))),
});

const OfficeView = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  kato: Type.String(),
  name: Names,
  address: Type.Optional(Type.String()),
});

const tags = ['places'];

/** Places, offices and facilities are public reference data: no personal data, needed to fill any form. */
export function registerPlaceRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/api/v1/places',
    {
      config: { scope: 'public' },
      schema: {
        tags,
        summary: 'Search places by the start of any word of their name, in Kazakh, Russian or English',
        querystring: Type.Object({
          q: Type.String({ minLength: 1, maxLength: 100 }),
          level: Type.Optional(
            Type.Union(['region', 'district', 'okrug', 'settlement'].map((l) => Type.Literal(l))),
          ),
          within: Type.Optional(Kato),
          limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
          cursor: Type.Optional(Type.String({ maxLength: 400 })),
        }),
        response: {
          200: Type.Object({ items: Type.Array(PlaceView), next: Type.Union([Type.String(), Type.Null()]) }),
        },
      },
    },
    async (request) => searchPlaces(deps.db, request.query),
  );

  app.get(
    '/api/v1/places/:kato',
    {
      config: { scope: 'public' },
      schema: {
        tags,
        summary: 'One place, with the units that contain it',
        params: Type.Object({ kato: Kato }),
        response: { 200: PlaceView },
      },
    },
    async (request) => getPlace(deps.db, request.params.kato),
  );

  app.get(
    '/api/v1/places/:kato/children',
    {
      config: { scope: 'public' },
      schema: {
        tags,
        summary: 'The units directly inside a place',
        params: Type.Object({ kato: Kato }),
        response: { 200: Type.Object({ items: Type.Array(PlaceView) }) },
      },
    },
    async (request) => ({ items: await listChildren(deps.db, request.params.kato) }),
  );

  app.get(
    '/api/v1/offices',
    {
      config: { scope: 'public' },
      schema: {
        tags,
        summary: 'Registry offices and service centres',
        querystring: Type.Object({ within: Type.Optional(Kato) }),
        response: { 200: Type.Object({ items: Type.Array(OfficeView) }) },
      },
    },
    async (request) => ({ items: await listOffices(deps.db, request.query.within) }),
  );

  app.get(
    '/api/v1/facilities',
    {
      config: { scope: 'public' },
      schema: {
        tags,
        summary: 'Health facilities where births are notified',
        querystring: Type.Object({ within: Type.Optional(Kato) }),
        response: { 200: Type.Object({ items: Type.Array(OfficeView) }) },
      },
    },
    async (request) => ({ items: await listFacilities(deps.db, request.query.within) }),
  );
}
