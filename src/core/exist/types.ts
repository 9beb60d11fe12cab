/**
 * The Exist client's public shapes: the `ExistClient` interface, its options, the filters of
 * each read and the items and answers of each write. Types only, so every other module of the
 * client (transport, reads, writes, oauth) and every caller shares one declaration; callers
 * keep importing them from `./client`, which re-exports this file.
 */
import type { Attribute, AttributeTemplate, IsoDate, Profile } from '../../shared/domain';
import type { AttributeAverage } from '../averages/schema';
import type { FetchLike } from '../ports';
import type { CallMeter } from '../rate/budget';
import type { Page, TokenResponse } from './schemas';

/** Where the client gets its bearer token; the token manager implements it. */
export interface TokenProvider {
  getAccessToken(): Promise<string>;
  /**
   * Called once after a 401 with the token that was refused. Must be single-flight:
   * concurrent callers share one refresh. Resolves to the token to retry with, or
   * rejects (the client passes the rejection on).
   */
  refreshAfterUnauthorised(staleToken: string): Promise<string>;
}

export interface ExistClientOptions {
  /** Scheme + host (+ optional path prefix); API under `/api/2/`, OAuth under `/oauth2/`. */
  baseUrl?: string;
  fetch?: FetchLike;
  /** Per request, including reading the body. Default 15 s. */
  timeoutMs?: number;
  /** Needed for API calls; OAuth calls work without it. */
  auth?: TokenProvider;
  /** Told about every API request sent (the rate budget's meter); see the module comment. */
  meter?: CallMeter | (() => CallMeter | null | undefined);
}

export interface ListFilters {
  groups?: string[];
  attributes?: string[];
  excludeCustom?: boolean;
  manual?: boolean;
  includeInactive?: boolean;
  includeLowPriority?: boolean;
  page?: number;
  /** Page size; Exist's maximum is 100. */
  limit?: number;
}

export interface AttributeListFilters extends ListFilters {
  owned?: boolean;
}

export interface WithValuesOptions {
  /** 1–31; default 1. */
  days?: number;
  dateMax?: IsoDate;
  groups?: string[];
  attributes?: string[];
  templates?: string[];
  manual?: boolean;
  page?: number;
  limit?: number;
}

export interface ValuesOptions {
  /** 1–100. */
  limit?: number;
  page?: number;
  dateMax?: IsoDate;
}

export interface AveragesOptions {
  attributes?: string[];
  groups?: string[];
  dateMin?: IsoDate;
  dateMax?: IsoDate;
  includeHistorical?: boolean;
  page?: number;
  limit?: number;
}

export interface AttributeValue {
  date: IsoDate;
  value: number | string | null;
}

export type AcquireItem = ({ template: string } | { name: string }) & { manual?: boolean };
export interface ReleaseItem {
  name: string;
}
export type CreateItem =
  { template: string; manual?: boolean } | { label: string; group: string; value_type: number; manual?: boolean };
export interface UpdateItem {
  name: string;
  date: IsoDate;
  value: number | string;
}
export interface IncrementItem {
  name: string;
  value: number;
  date?: IsoDate;
}

/** The answer of a write endpoint: 200 when every object succeeded, 202 when some failed. */
export interface WriteResult<T> {
  status: 200 | 202;
  /** The objects as Exist echoed them (extra fields such as `current` kept). */
  success: Array<T & Record<string, unknown>>;
  failed: Array<T & { error_code: string; error: string }>;
}

export type IncrementResult = WriteResult<IncrementItem> & {
  success: Array<IncrementItem & { current?: number | null } & Record<string, unknown>>;
};

export interface OAuthClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface ExistClient {
  readonly baseUrl: string;
  /** Same base URL, fetch and timeout, another token source. */
  withAuth(auth: TokenProvider): ExistClient;

  getProfile(): Promise<Profile>;
  getTemplates(opts?: {
    groups?: string[];
    includeLowPriority?: boolean;
    page?: number;
    limit?: number;
  }): Promise<Page<AttributeTemplate>>;
  listOwned(filters?: ListFilters): Promise<Page<Attribute>>;
  listAttributes(filters?: AttributeListFilters): Promise<Page<Attribute>>;
  withValues(opts?: WithValuesOptions): Promise<Page<Attribute>>;
  getValues(name: string, opts?: ValuesOptions): Promise<Page<AttributeValue>>;
  /** `GET /api/2/averages/`: the latest weekly averages (needs a read scope; features' averages module). */
  getAverages(opts?: AveragesOptions): Promise<Page<AttributeAverage>>;
  listAllAverages(opts?: Omit<AveragesOptions, 'page'>): Promise<AttributeAverage[]>;
  /** Every page of templates (capped, see `paginate`). */
  listAllTemplates(opts?: { groups?: string[]; includeLowPriority?: boolean }): Promise<AttributeTemplate[]>;
  listAllOwned(filters?: Omit<ListFilters, 'page'>): Promise<Attribute[]>;
  listAllAttributes(filters?: Omit<AttributeListFilters, 'page'>): Promise<Attribute[]>;

  acquire(items: AcquireItem[], opts?: { successObjects?: boolean }): Promise<WriteResult<AcquireItem>>;
  release(items: ReleaseItem[]): Promise<WriteResult<ReleaseItem>>;
  create(items: CreateItem[], opts?: { successObjects?: boolean }): Promise<WriteResult<CreateItem>>;
  update(items: UpdateItem[]): Promise<WriteResult<UpdateItem>>;
  increment(items: IncrementItem[]): Promise<IncrementResult>;

  exchangeCode(args: OAuthClientCredentials & { code: string; redirectUri: string }): Promise<TokenResponse>;
  refreshTokens(args: OAuthClientCredentials & { refreshToken: string }): Promise<TokenResponse>;
}
