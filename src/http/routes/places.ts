import { Type } from 'typebox';
import {
  getFacility,
  getPlace,
  listChildren,
  listFacilities,
  listOffices,
  searchFacilities,
  searchPlaces,
} from '../../places/store.ts';
import type { App, AppDeps } from '../types.ts';

const Names = Type.Object({ kk: Type.String(), ru: Type.String(), en: Type.String() });
const Kato = Type.String({ pattern: '^[0-9]{9}$', description: '9-digit KATO code' });

/** The containing units from the region down. */
const Path = Type.Array(Type.Object({ kato: Type.String(), name: Names }));

const PlaceView = Type.Object({
  kato: Type.String(),
  parentKato: Type.Union([Type.String(), Type.Null()]),
  level: Type.String(),
  kind: Type.String(),
  name: Names,
  population: Type.Union([Type.Number(), Type.Null()]),
  crudeBirthRate: Type.Union([Type.Number(), Type.Null()]),
  path: Type.Optional(Path),
});

const OfficeView = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  kato: Type.String(),
  name: Names,
  address: Type.Optional(Type.String()),
});

const FacilityView = Type.Object({
  ...OfficeView.properties,
  path: Type.Optional(Path),
});

const Search = {
  q: Type.String({ minLength: 1, maxLength: 100 }),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  cursor: Type.Optional(Type.String({ maxLength: 400 })),
};

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
          q: Search.q,
          level: Type.Optional(
            Type.Union(['region', 'district', 'okrug', 'settlement'].map((l) => Type.Literal(l))),
          ),
          within: Type.Optional(Kato),
          limit: Search.limit,
          cursor: Search.cursor,
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
        summary: 'Health facilities where births are notified: all of them, or with q those whose name has a word starting so',
        description:
          'Without q, every facility (in the area, with within). With q, a page of `limit` facilities in the order of their matching names, each with the place it stands in, and `next` for the following page.',
        querystring: Type.Object({
          within: Type.Optional(Kato),
          q: Type.Optional(Search.q),
          limit: Search.limit,
          cursor: Search.cursor,
        }),
        response: {
          200: Type.Object({
            items: Type.Array(FacilityView),
            next: Type.Optional(Type.Union([Type.String(), Type.Null()])),
          }),
        },
      },
    },
    async (request) => {
      const { q, within, limit, cursor } = request.query;
      if (q === undefined) return { items: await listFacilities(deps.db, within) };
      return searchFacilities(deps.db, { q, within, limit, cursor });
    },
  );

  app.get(
    '/api/v1/facilities/:id',
    {
      config: { scope: 'public' },
      schema: {
        tags,
        summary: 'One health facility, with the place it stands in',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: FacilityView },
      },
    },
    async (request) => getFacility(deps.db, request.params.id),
  );
}
