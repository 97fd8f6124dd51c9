import type { ZodType } from 'zod';

/** Who may call a route: anyone, any signed-in caller, administrators and technicians, administrators. */
export type Access = 'public' | 'signed_in' | 'staff' | 'admin';

export interface RouteDefinition {
  /** The resource whose Lambda (`functions/<resource>.ts`) serves the route. */
  resource: string;
  access: Access;
  summary: string;
  body?: ZodType;
  query?: ZodType;
  /** Also open to a monitoring integration's key (`POST /v1/alerts`). */
  integrationKeys?: boolean;
  /** Path parameters beyond plain ids (e.g. a seat's module). */
  params?: ZodType;
}

export interface ResourceDefinition {
  /** Table actions the resource's function is granted: least privilege per function. */
  table: 'none' | 'read' | 'readWrite';
  /** Outbound channels the function may use. */
  sends?: ('email' | 'sms')[];
  /** Needs the token signing secret (signs or verifies tokens). */
  tokens: boolean;
}
