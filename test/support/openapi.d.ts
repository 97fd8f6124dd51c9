// Generated from openApiDocument() by `npm run openapi:types`: do not edit.

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the API can serve requests */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This API as an OpenAPI 3.1 document */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign up: create an account, its first company and its first administrator */
        post: operations["signUp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/account": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account: seat limits and seats used */
        get: operations["getAccount"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Rename the account or change seat limits */
        patch: operations["updateAccount"];
        trace?: never;
    };
    "/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in with account slug, email and password */
        post: operations["logIn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/set-password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set an end user's password with the single-use link token from the set-password email */
        post: operations["setPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/portals/{slug}/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in on a customer portal, for the end users of the portal's account */
        post: operations["logInToPortal"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit trail, newest first (?resource=, ?actorId=) */
        get: operations["listAuditEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change your own name or email */
        patch: operations["updateMe"];
        trace?: never;
    };
    "/v1/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Change your own password (ends every earlier token; answers with a new one) */
        put: operations["changeMyPassword"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/availability": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Available for live connections (lapses after 10 minutes without renewal) or away */
        put: operations["setMyAvailability"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Users (technicians see those of their companies) */
        get: operations["listUsers"];
        put?: never;
        /** Add a user with their own credentials */
        post: operations["createUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One user */
        get: operations["getUser"];
        put?: never;
        post?: never;
        /** Delete a user and free their seats */
        delete: operations["deleteUser"];
        options?: never;
        head?: never;
        /** Change a user's role, modules or company access (never their name or email) */
        patch: operations["updateUser"];
        trace?: never;
    };
    "/v1/users/{userId}/seats/{module}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Give a technician seat */
        put: operations["giveSeat"];
        post?: never;
        /** Take a technician seat back */
        delete: operations["takeSeatBack"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/companies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Companies in name order */
        get: operations["listCompanies"];
        put?: never;
        /** Create a company */
        post: operations["createCompany"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/companies/{companyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One company */
        get: operations["getCompany"];
        put?: never;
        post?: never;
        /** Delete a company (409 company_required when it is the only company of a user or device) */
        delete: operations["deleteCompany"];
        options?: never;
        head?: never;
        /** Rename or describe a company */
        patch: operations["updateCompany"];
        trace?: never;
    };
    "/v1/companies/{companyId}/devices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One company's device inventory (?group= filters) */
        get: operations["listCompanyDevices"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/devices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Devices */
        get: operations["listDevices"];
        put?: never;
        /** Add a device */
        post: operations["createDevice"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/devices/{deviceId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One device */
        get: operations["getDevice"];
        put?: never;
        post?: never;
        /** Remove a device */
        delete: operations["deleteDevice"];
        options?: never;
        head?: never;
        /** Change a device */
        patch: operations["updateDevice"];
        trace?: never;
    };
    "/v1/companies/{companyId}/portal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A company's customer portal */
        get: operations["getCompanyPortal"];
        /** Set a company's customer portal */
        put: operations["putCompanyPortal"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/portals/{slug}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A portal as customers see it */
        get: operations["getPublicPortal"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/portals/{slug}/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A customer asks a question: live technician or queue */
        post: operations["submitPortalRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/end-users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** End users (?email= finds one) */
        get: operations["listEndUsers"];
        put?: never;
        /** Create an end user (strong: set-password email) */
        post: operations["createEndUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/end-users/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create many weak end users at once */
        post: operations["createEndUsersInBulk"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/end-users/{endUserId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One end user */
        get: operations["getEndUser"];
        put?: never;
        post?: never;
        /** Delete an end user */
        delete: operations["deleteEndUser"];
        options?: never;
        head?: never;
        /** Change an end user */
        patch: operations["updateEndUser"];
        trace?: never;
    };
    "/v1/end-users/{endUserId}/invitation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a strong end user a new set-password email (earlier links die) */
        post: operations["inviteEndUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/end-user-groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** End-user groups by name */
        get: operations["listEndUserGroups"];
        put?: never;
        /** Create an end-user group */
        post: operations["createEndUserGroup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/end-user-groups/{groupId}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A group's members */
        get: operations["listEndUserGroupMembers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/end-user-groups/{groupId}/members/{endUserId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Add an end user to a group */
        put: operations["addEndUserGroupMember"];
        post?: never;
        /** Remove an end user from a group */
        delete: operations["removeEndUserGroupMember"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tickets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Tickets, newest first (end users: their own) */
        get: operations["listTickets"];
        put?: never;
        /** Open a ticket for an end user */
        post: operations["createTicket"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tickets/{ticketId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One ticket */
        get: operations["getTicket"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a ticket's status, assignee or subject */
        patch: operations["updateTicket"];
        trace?: never;
    };
    "/v1/tickets/{ticketId}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A ticket's messages, oldest first */
        get: operations["listTicketMessages"];
        put?: never;
        /** Add a message to a ticket */
        post: operations["addTicketMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/queue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Waiting items of your companies, oldest first */
        get: operations["listQueue"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/queue/claim": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Take the oldest waiting item (204 when none) */
        post: operations["claimQueueItem"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Alerts, newest first */
        get: operations["listAlerts"];
        put?: never;
        /** Raise an alert for a company: delivered to the contacts whose rules match its urgency */
        post: operations["raiseAlert"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alerts/{alertId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One alert with its deliveries */
        get: operations["getAlert"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/integration-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Monitoring integration keys */
        get: operations["listIntegrationKeys"];
        put?: never;
        /** Create a monitoring integration key (shown once) */
        post: operations["createIntegrationKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/integration-keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an integration key */
        delete: operations["revokeIntegrationKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/report-subscriptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Report subscriptions */
        get: operations["listReportSubscriptions"];
        put?: never;
        /** Subscribe a contact to a daily or weekly report */
        post: operations["createReportSubscription"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/report-subscriptions/{subscriptionId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Cancel a report subscription */
        delete: operations["deleteReportSubscription"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/contacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Contacts in name order (technicians: those of their companies) */
        get: operations["listContacts"];
        put?: never;
        /** Add a contact for all companies or a list of them */
        post: operations["createContact"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/contacts/{contactId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One contact with its methods and rules */
        get: operations["getContact"];
        put?: never;
        post?: never;
        /** Delete a contact (403 for a user's contact) */
        delete: operations["deleteContact"];
        options?: never;
        head?: never;
        /** Rename a contact or change its companies (403 for a user's contact) */
        patch: operations["updateContact"];
        trace?: never;
    };
    "/v1/companies/{companyId}/contacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A company's contacts and every user with access to it, in name order */
        get: operations["listCompanyContacts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/contacts/{contactId}/methods": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add an email, SMS or phone method */
        post: operations["addContactMethod"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/contacts/{contactId}/methods/{methodId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a contact method and its rules */
        delete: operations["deleteContactMethod"];
        options?: never;
        head?: never;
        /** Change a contact method */
        patch: operations["updateContactMethod"];
        trace?: never;
    };
    "/v1/contacts/{contactId}/rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send alerts (by urgency) or reports to one of the contact’s methods */
        post: operations["addNotificationRule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/contacts/{contactId}/rules/{ruleId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a notification rule */
        delete: operations["deleteNotificationRule"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account's settings */
        get: operations["getSettings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change account-wide settings */
        patch: operations["updateSettings"];
        trace?: never;
    };
    "/v1/companies/{companyId}/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A company's overrides and effective settings (the account's with the overrides on top) */
        get: operations["getCompanySettings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Override settings for a company; null removes an override */
        patch: operations["updateCompanySettings"];
        trace?: never;
    };
    "/p/{slug}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A customer portal's web page (HTML); an unknown or disabled portal's address answers 404 with a not-found page */
        get: operations["getPortalPage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/console": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The staff console's web page (HTML): it signs in with `POST /v1/auth/login` and works through the API */
        get: operations["getConsolePage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/scim-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Live SCIM tokens (without their secrets) */
        get: operations["listScimTokens"];
        put?: never;
        /** Create a SCIM token for a company's directory sync (shown once) */
        post: operations["createScimToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/scim-tokens/{tokenId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a SCIM token (at once) */
        delete: operations["revokeScimToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/companies/{companyId}/teams": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The Microsoft 365 tenant linked to a company (404 when none is) */
        get: operations["getCompanyTeamsLink"];
        /** Link a company to its Microsoft 365 tenant (a tenant belongs to one company: 409) */
        put: operations["putCompanyTeamsLink"];
        post?: never;
        /** Unlink a company's Microsoft 365 tenant */
        delete: operations["deleteCompanyTeamsLink"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The Bot Framework messaging endpoint: Teams delivers chat activities here, each with a Bot Framework token */
        post: operations["receiveTeamsActivity"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @example {
         *       "error": {
         *         "code": "validation_failed",
         *         "message": "The body is not valid.",
         *         "details": [
         *           {
         *             "path": "name",
         *             "message": "Required"
         *           }
         *         ]
         *       }
         *     }
         */
        Error: {
            error: {
                /** @description snake_case, e.g. `validation_failed`, `not_found`, `seat_limit_reached` */
                code: string;
                /** @description A sentence for people */
                message: string;
                details: ({
                    path: string;
                    message: string;
                } & {
                    [key: string]: unknown;
                })[];
            } & {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        Health: {
            /** @constant */
            status: "ok";
        } & {
            [key: string]: unknown;
        };
        /** @description This document */
        OpenApiDocument: {
            openapi: string;
            info: {
                [key: string]: unknown;
            };
            paths: {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        /**
         * @example {
         *       "id": "usr_3n5p7r9t1v3x5z7b9d1f3h5j7k9m1n3p",
         *       "email": "ada@acme.example",
         *       "firstName": "Ada",
         *       "lastName": "Lovelace",
         *       "role": "technician",
         *       "modules": [
         *         "remote_support",
         *         "service_desk"
         *       ],
         *       "companyIds": [
         *         "cmp_8k2m4n6p8r0t2v4x6z8b0d2f4h6j8k0m"
         *       ],
         *       "seats": [
         *         "service_desk"
         *       ],
         *       "createdAt": "2026-03-01T09:30:00.000Z",
         *       "updatedAt": "2026-03-01T09:30:00.000Z"
         *     }
         */
        User: {
            id: string;
            email: string;
            firstName: string;
            lastName: string;
            /** @enum {string} */
            role: "administrator" | "technician";
            modules: ("remote_support" | "service_desk" | "monitoring" | "reports")[];
            companyIds: string[];
            seats: ("remote_support" | "service_desk")[];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        } & {
            [key: string]: unknown;
        };
        UserPage: {
            items: components["schemas"]["User"][];
            /** @description Pass as `?cursor=` for the next page; null on the last page */
            nextCursor: string | null;
        } & {
            [key: string]: unknown;
        };
        Token: {
            token: string;
            /** Format: date-time */
            expiresAt: string;
        } & {
            [key: string]: unknown;
        };
        Availability: {
            /** @enum {string} */
            status: "available" | "away";
            /** @description When `available` lapses without a renewing PUT; null when away */
            until: string | null;
        } & {
            [key: string]: unknown;
        };
        /**
         * @example {
         *       "id": "eu_5p7r9t1v3x5z7b9d1f3h5j7k9m1n3p5r",
         *       "email": "grace@customer.example",
         *       "firstName": "Grace",
         *       "lastName": "Hopper",
         *       "association": "weak",
         *       "companyId": "cmp_8k2m4n6p8r0t2v4x6z8b0d2f4h6j8k0m",
         *       "groupIds": [],
         *       "createdAt": "2026-03-03T08:00:00.000Z",
         *       "updatedAt": "2026-03-03T08:00:00.000Z"
         *     }
         */
        EndUser: {
            id: string;
            email: string;
            firstName: string;
            lastName: string;
            /** @enum {string} */
            association: "weak" | "strong";
            companyId: string;
            groupIds: string[];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        } & {
            [key: string]: unknown;
        };
        EndUserPage: {
            items: components["schemas"]["EndUser"][];
            /** @description Pass as `?cursor=` for the next page; null on the last page */
            nextCursor: string | null;
        } & {
            [key: string]: unknown;
        };
        BulkEndUsers: {
            created: components["schemas"]["EndUser"][];
            existing: components["schemas"]["EndUser"][];
        } & {
            [key: string]: unknown;
        };
        EndUserGroup: {
            id: string;
            name: string;
            /** Format: date-time */
            createdAt: string;
        } & {
            [key: string]: unknown;
        };
        EndUserGroupPage: {
            items: components["schemas"]["EndUserGroup"][];
            /** @description Pass as `?cursor=` for the next page; null on the last page */
            nextCursor: string | null;
        } & {
            [key: string]: unknown;
        };
        /**
         * @example {
         *       "id": "acc_1m3n5p7r9t1v3x5z7b9d1f3h5j7k9m1n",
         *       "name": "Acme IT Services",
         *       "slug": "acme",
         *       "seatLimits": {
         *         "remote_support": 5,
         *         "service_desk": 5
         *       },
         *       "seatsUsed": {
         *         "remote_support": 1,
         *         "service_desk": 2
         *       },
         *       "createdAt": "2026-03-01T09:30:00.000Z"
         *     }
         */
        Account: {
            id: string;
            name: string;
            slug: string;
            seatLimits: {
                remote_support: number;
                service_desk: number;
            } & {
                [key: string]: unknown;
            };
            seatsUsed: {
                remote_support: number;
                service_desk: number;
            } & {
                [key: string]: unknown;
            };
            /** Format: date-time */
            createdAt: string;
        } & {
            [key: string]: unknown;
        };
        SignUp: {
            account: components["schemas"]["Account"];
            user: components["schemas"]["User"];
            token: string;
            /** Format: date-time */
            expiresAt: string;
        } & {
            [key: string]: unknown;
        };
        Me: components["schemas"]["User"] | components["schemas"]["EndUser"];
        Login: {
            token: string;
            /** Format: date-time */
            expiresAt: string;
            user: components["schemas"]["Me"];
        } & {
            [key: string]: unknown;
        };
        AuditEvent: {
            id: string;
            /** @description The user or end user acting; null for sign-up and other public or system actions */
            actorId: string | null;
            /** Format: date-time */
            at: string;
            requestId: string;
            sourceIp: string;
            resourceType: string;
            resourceId: string;
            /** @enum {string} */
            action: "create" | "update" | "delete" | "sign_in" | "sign_in_failed";
            fields?: {
                [key: string]: {
                    from: unknown;
                    to: unknown;
                } & {
                    [key: string]: unknown;
                };
            };
        } & {
            [key: string]: unknown;
        };
        AuditEventPage: {
            items: components["schemas"]["AuditEvent"][];
            /** @description Pass as `?cursor=` for the next page; null on the last page */
            nextCursor: string | null;
        } & {
            [key: string]: unknown;
        };
        /**
         * @example {
         *       "id": "cmp_8k2m4n6p8r0t2v4x6z8b0d2f4h6j8k0m",
         *       "name": "Acme GmbH",
         *       "description": "Head office and the Munich branch",
         *       "createdAt": "2026-03-01T09:30:00.000Z",
         *       "updatedAt": "2026-03-02T14:05:00.000Z"
         *     }
         */
        Company: {
            id: string;
            name: string;
            description: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        } & {
            [key: string]: unknown;
        };
        CompanyPage: {
            items: components["schemas"]["Company"][];
            /** @description Pass as `?cursor=` for the next page; null on the last page */
            nextCursor: string | null;
        } & {
            [key: string]: unknown;
        };
        Device: {
            id: string;
            name: string;
            companyIds: string[];
            group: string;
            /** @enum {string} */
            kind: "workstation" | "server" | "mobile" | "other";
            os: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        } & {
            [key: string]: unknown;
        };
        DevicePage: {
            items: components["schemas"]["Device"][];
            /** @description Pass as `?cursor=` for the next page; null on the last page */
            nextCursor: string | null;
        } & {
            [key: string]: unknown;
        };
        /**
         * @example {
         *       "id": "tkt_7r9t1v3x5z7b9d1f3h5j7k9m1n3p5r7t",
         *       "number": 42,
         *       "subject": "The printer on floor 2 is offline",
         *       "status": "open",
         *       "channel": "portal",
         *       "companyId": "cmp_8k2m4n6p8r0t2v4x6z8b0d2f4h6j8k0m",
         *       "endUserId": "eu_5p7r9t1v3x5z7b9d1f3h5j7k9m1n3p5r",
         *       "assigneeId": "usr_3n5p7r9t1v3x5z7b9d1f3h5j7k9m1n3p",
         *       "createdAt": "2026-03-03T08:00:00.000Z",
         *       "updatedAt": "2026-03-03T08:02:00.000Z"
         *     }
         */
        Ticket: {
            id: string;
            /** @description 1, 2, 3… per account */
            number: number;
            subject: string;
            /** @enum {string} */
            status: "queued" | "open" | "pending" | "solved" | "closed";
            /** @enum {string} */
            channel: "portal" | "email" | "staff" | "teams";
            companyId: string;
            endUserId: string;
            assigneeId: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /**
             * Format: date-time
             * @description While the ticket waits in the queue: since when
             */
            queuedAt?: string;
        } & {
            [key: string]: unknown;
        };
        TicketPage: {
            items: components["schemas"]["Ticket"][];
            /** @description Pass as `?cursor=` for the next page; null on the last page */
            nextCursor: string | null;
        } & {
            [key: string]: unknown;
        };
        TicketMessage: {
            id: string;
            author: {
                /** @enum {string} */
                type: "staff" | "end_user";
                id: string;
            } & {
                [key: string]: unknown;
            };
            body: string;
            /** Format: date-time */
            createdAt: string;
        } & {
            [key: string]: unknown;
        };
        TicketMessagePage: {
            items: components["schemas"]["TicketMessage"][];
            /** @description Pass as `?cursor=` for the next page; null on the last page */
            nextCursor: string | null;
        } & {
            [key: string]: unknown;
        };
        QueueEntry: {
            ticketId: string;
            number: number;
            subject: string;
            companyId: string;
            /** Format: date-time */
            waitingSince: string;
        } & {
            [key: string]: unknown;
        };
        QueueEntryPage: {
            items: components["schemas"]["QueueEntry"][];
            /** @description Pass as `?cursor=` for the next page; null on the last page */
            nextCursor: string | null;
        } & {
            [key: string]: unknown;
        };
        /**
         * @example {
         *       "ticket": {
         *         "id": "tkt_7r9t1v3x5z7b9d1f3h5j7k9m1n3p5r7t",
         *         "number": 42,
         *         "subject": "The printer on floor 2 is offline",
         *         "status": "open",
         *         "channel": "portal",
         *         "companyId": "cmp_8k2m4n6p8r0t2v4x6z8b0d2f4h6j8k0m",
         *         "endUserId": "eu_5p7r9t1v3x5z7b9d1f3h5j7k9m1n3p5r",
         *         "assigneeId": "usr_3n5p7r9t1v3x5z7b9d1f3h5j7k9m1n3p",
         *         "createdAt": "2026-03-03T08:00:00.000Z",
         *         "updatedAt": "2026-03-03T08:02:00.000Z"
         *       }
         *     }
         */
        QueueClaim: {
            ticket: components["schemas"]["Ticket"];
        } & {
            [key: string]: unknown;
        };
        /**
         * @example {
         *       "companyId": "cmp_8k2m4n6p8r0t2v4x6z8b0d2f4h6j8k0m",
         *       "slug": "acme-help",
         *       "title": "Acme Help Desk",
         *       "enabled": true,
         *       "supportEmail": "help@acme.example",
         *       "updatedAt": "2026-03-01T10:00:00.000Z"
         *     }
         */
        Portal: {
            companyId: string;
            slug: string;
            title: string;
            enabled: boolean;
            supportEmail: string;
            /** Format: date-time */
            updatedAt: string;
        } & {
            [key: string]: unknown;
        };
        /**
         * @example {
         *       "title": "Acme Help Desk",
         *       "companyName": "Acme GmbH",
         *       "language": "de",
         *       "techniciansAvailable": 2
         *     }
         */
        PublicPortal: {
            title: string;
            companyName: string;
            /**
             * @description The company's effective language
             * @enum {string}
             */
            language: "en" | "de" | "es" | "fr" | "it" | "pt" | "nl" | "ja" | "zh";
            /** @description Technicians a request made now would be connected to */
            techniciansAvailable: number;
        } & {
            [key: string]: unknown;
        };
        /**
         * @example {
         *       "ticket": {
         *         "id": "tkt_7r9t1v3x5z7b9d1f3h5j7k9m1n3p5r7t",
         *         "number": 42,
         *         "subject": "The printer on floor 2 is offline",
         *         "status": "open",
         *         "channel": "portal",
         *         "companyId": "cmp_8k2m4n6p8r0t2v4x6z8b0d2f4h6j8k0m",
         *         "endUserId": "eu_5p7r9t1v3x5z7b9d1f3h5j7k9m1n3p5r",
         *         "assigneeId": "usr_3n5p7r9t1v3x5z7b9d1f3h5j7k9m1n3p",
         *         "createdAt": "2026-03-03T08:00:00.000Z",
         *         "updatedAt": "2026-03-03T08:02:00.000Z"
         *       },
         *       "queue": null,
         *       "liveTechnician": {
         *         "id": "usr_3n5p7r9t1v3x5z7b9d1f3h5j7k9m1n3p",
         *         "firstName": "Ada"
         *       },
         *       "chatToken": "eyJhbGciOiJIUzI1NiJ9.eyJhY2MiOiJhY2NfLi4uIiwidGt0IjoidGt0Xy4uLiJ9.c2lnbmF0dXJl"
         *     }
         */
        PortalRequest: {
            ticket: components["schemas"]["Ticket"];
            queue: ({
                /** @description 1 = next, within the company */
                position: number;
            } & {
                [key: string]: unknown;
            }) | null;
            liveTechnician: ({
                id: string;
                firstName: string;
            } & {
                [key: string]: unknown;
            }) | null;
            /** @description What the customer's browser presents to the live channel for this ticket (that ticket only, until it is closed, at most 24 hours) */
            chatToken: string;
        } & {
            [key: string]: unknown;
        };
        Alert: {
            id: string;
            companyId: string;
            deviceId?: string;
            ticketId?: string;
            /** @enum {string} */
            urgency: "low" | "high" | "critical";
            title: string;
            body: string;
            /** @enum {string} */
            source: "portal_request" | "teams_request" | "queue_wait" | "monitoring" | "manual";
            /** @enum {string} */
            status: "pending" | "delivered" | "partially_delivered" | "failed" | "no_recipients";
            /** Format: date-time */
            createdAt: string;
        } & {
            [key: string]: unknown;
        };
        AlertPage: {
            items: components["schemas"]["Alert"][];
            /** @description Pass as `?cursor=` for the next page; null on the last page */
            nextCursor: string | null;
        } & {
            [key: string]: unknown;
        };
        AlertDelivery: {
            contactId: string;
            methodId: string;
            /** @enum {string} */
            channel: "email" | "sms";
            address: string;
            /** @enum {string} */
            status: "sent" | "failed";
            attempts: number;
            error?: string;
            /** Format: date-time */
            at: string;
        } & {
            [key: string]: unknown;
        };
        AlertWithDeliveries: {
            id: string;
            companyId: string;
            deviceId?: string;
            ticketId?: string;
            /** @enum {string} */
            urgency: "low" | "high" | "critical";
            title: string;
            body: string;
            /** @enum {string} */
            source: "portal_request" | "teams_request" | "queue_wait" | "monitoring" | "manual";
            /** @enum {string} */
            status: "pending" | "delivered" | "partially_delivered" | "failed" | "no_recipients";
            /** Format: date-time */
            createdAt: string;
            deliveries: components["schemas"]["AlertDelivery"][];
        } & {
            [key: string]: unknown;
        };
        IntegrationKey: {
            id: string;
            name: string;
            /** Format: date-time */
            createdAt: string;
        } & {
            [key: string]: unknown;
        };
        IntegrationKeyPage: {
            items: components["schemas"]["IntegrationKey"][];
            /** @description Pass as `?cursor=` for the next page; null on the last page */
            nextCursor: string | null;
        } & {
            [key: string]: unknown;
        };
        NewIntegrationKey: {
            id: string;
            name: string;
            /** Format: date-time */
            createdAt: string;
            /** @description `dak.<accountId>.<secret>`: shown only now */
            key: string;
        } & {
            [key: string]: unknown;
        };
        ReportSubscription: {
            id: string;
            contactId: string;
            /** @description null: the whole account */
            companyId: string | null;
            /** @enum {string} */
            frequency: "daily" | "weekly";
            /** @description 0 = Sunday; weekly only */
            weekday?: number;
            hour: number;
            timezone: string;
            /** Format: date-time */
            nextRunAt: string;
            lastPeriod?: string;
            /** Format: date-time */
            createdAt: string;
        } & {
            [key: string]: unknown;
        };
        ReportSubscriptionPage: {
            items: components["schemas"]["ReportSubscription"][];
            /** @description Pass as `?cursor=` for the next page; null on the last page */
            nextCursor: string | null;
        } & {
            [key: string]: unknown;
        };
        ContactMethod: {
            id: string;
            /** @enum {string} */
            type: "email" | "sms" | "phone";
            address: string;
            label: string | null;
        } & {
            [key: string]: unknown;
        };
        NotificationRule: {
            id: string;
            methodId: string;
            /** @enum {string} */
            use: "alert" | "report";
            /** @description Empty for reports */
            urgencies: ("low" | "high" | "critical")[];
        } & {
            [key: string]: unknown;
        };
        Contact: {
            id: string;
            name: string;
            /** @enum {string} */
            kind: "contact" | "user";
            /** @description On a user's contact: the user */
            userId?: string;
            companies: "all" | string[];
            methods: components["schemas"]["ContactMethod"][];
            rules: components["schemas"]["NotificationRule"][];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        } & {
            [key: string]: unknown;
        };
        ContactPage: {
            items: components["schemas"]["Contact"][];
            /** @description Pass as `?cursor=` for the next page; null on the last page */
            nextCursor: string | null;
        } & {
            [key: string]: unknown;
        };
        /**
         * @example {
         *       "sessionRecording": false,
         *       "language": "de",
         *       "timezone": "Europe/Berlin",
         *       "queueAlertAfterMinutes": 15,
         *       "portalLiveConnect": true,
         *       "ticketAutoCloseDays": 7
         *     }
         */
        Settings: {
            sessionRecording: boolean;
            /** @enum {string} */
            language: "en" | "de" | "es" | "fr" | "it" | "pt" | "nl" | "ja" | "zh";
            /** @description IANA time zone name */
            timezone: string;
            queueAlertAfterMinutes: number;
            portalLiveConnect: boolean;
            ticketAutoCloseDays: number;
        } & {
            [key: string]: unknown;
        };
        CompanySettings: {
            /** @description The company's own values */
            overrides: {
                sessionRecording?: boolean;
                /** @enum {string} */
                language?: "en" | "de" | "es" | "fr" | "it" | "pt" | "nl" | "ja" | "zh";
                /** @description IANA time zone name */
                timezone?: string;
                queueAlertAfterMinutes?: number;
                portalLiveConnect?: boolean;
                ticketAutoCloseDays?: number;
            } & {
                [key: string]: unknown;
            };
            effective: components["schemas"]["Settings"];
        } & {
            [key: string]: unknown;
        };
        /** @description An HTML page (`text/html`) */
        HtmlPage: string;
        ScimToken: {
            id: string;
            companyId: string;
            description: string;
            /** Format: date-time */
            createdAt: string;
        } & {
            [key: string]: unknown;
        };
        ScimTokenPage: {
            items: components["schemas"]["ScimToken"][];
            /** @description Pass as `?cursor=` for the next page; null on the last page */
            nextCursor: string | null;
        } & {
            [key: string]: unknown;
        };
        NewScimToken: {
            id: string;
            companyId: string;
            description: string;
            /** Format: date-time */
            createdAt: string;
            /** @description `dst.<accountId>.<secret>`: shown only now */
            token: string;
        } & {
            [key: string]: unknown;
        };
        /**
         * @example {
         *       "companyId": "cmp_8k2m4n6p8r0t2v4x6z8b0d2f4h6j8k0m",
         *       "tenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47",
         *       "updatedAt": "2026-03-01T10:00:00.000Z"
         *     }
         */
        TeamsLink: {
            companyId: string;
            /** @description The linked Microsoft 365 tenant (lower-cased) */
            tenantId: string;
            /** Format: date-time */
            updatedAt: string;
        } & {
            [key: string]: unknown;
        };
        /**
         * @example {
         *       "outcome": "ticket_opened"
         *     }
         */
        TeamsActivityReceipt: {
            /**
             * @description What the activity did (the Bot Framework reads only the status)
             * @enum {string}
             */
            outcome: "ticket_opened" | "message_added" | "welcomed" | "duplicate" | "not_linked" | "unidentified" | "ignored";
        } & {
            [key: string]: unknown;
        };
    };
    responses: {
        /** @description The request is not valid (`validation_failed`): body, query, path, cursor or JSON */
        ValidationFailed: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description No valid token (`unauthenticated`), or wrong credentials */
        Unauthenticated: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The caller may not do this (`forbidden`, `seat_required`) */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description No such resource in the caller’s account and companies (`not_found`) */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Conflicts with the current state (`conflict`, `company_required`, `seat_limit_reached`) */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The body is larger than 256 KiB (`payload_too_large`) */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The body is not `application/json` (`unsupported_media_type`) */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Too many requests; try again later (`rate_limited`) */
        RateLimited: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description No such page: the not-found page */
        NotFoundPage: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "text/html": components["schemas"]["HtmlPage"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenApiDocument"];
                };
            };
        };
    };
    signUp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    slug: string;
                    admin: {
                        /** Format: email */
                        email: string;
                        password: string;
                        firstName: string;
                        lastName: string;
                    };
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignUp"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
        };
    };
    getAccount: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    updateAccount: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    seatLimits?: {
                        remote_support?: number;
                        service_desk?: number;
                    };
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    logIn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    account: string;
                    /** Format: email */
                    email: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Login"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
        };
    };
    setPassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    token: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description Done; no body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
        };
    };
    logInToPortal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Login"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
        };
    };
    listAuditEvents: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                resource?: string;
                actorId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEventPage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            401: components["responses"]["Unauthenticated"];
        };
    };
    updateMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    firstName?: string;
                    lastName?: string;
                    /** Format: email */
                    email?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    changeMyPassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    currentPassword: string;
                    newPassword: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
        };
    };
    setMyAvailability: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    status: "available" | "away";
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Availability"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    listUsers: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserPage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    createUser: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    password: string;
                    firstName: string;
                    lastName: string;
                    /** @enum {string} */
                    role: "administrator" | "technician";
                    /** @default [] */
                    modules?: ("remote_support" | "service_desk" | "monitoring" | "reports")[];
                    companyIds: string[];
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    deleteUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
        };
    };
    updateUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    role?: "administrator" | "technician";
                    modules?: ("remote_support" | "service_desk" | "monitoring" | "reports")[];
                    companyIds?: string[];
                    firstName?: string;
                    lastName?: string;
                    /** Format: email */
                    email?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    giveSeat: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: string;
                module: "remote_support" | "service_desk";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
        };
    };
    takeSeatBack: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: string;
                module: "remote_support" | "service_desk";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
        };
    };
    listCompanies: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompanyPage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    createCompany: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @default  */
                    description?: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Company"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getCompany: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                companyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Company"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    deleteCompany: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                companyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
        };
    };
    updateCompany: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                companyId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    description?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Company"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    listCompanyDevices: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                group?: string;
            };
            header?: never;
            path: {
                companyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DevicePage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    listDevices: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DevicePage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    createDevice: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    companyIds: string[];
                    /** @default  */
                    group?: string;
                    /** @enum {string} */
                    kind: "workstation" | "server" | "mobile" | "other";
                    /** @default  */
                    os?: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Device"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getDevice: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                deviceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Device"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    deleteDevice: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                deviceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
        };
    };
    updateDevice: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                deviceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    companyIds?: string[];
                    group?: string;
                    /** @enum {string} */
                    kind?: "workstation" | "server" | "mobile" | "other";
                    os?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Device"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getCompanyPortal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                companyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Portal"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    putCompanyPortal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                companyId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    slug: string;
                    title: string;
                    enabled: boolean;
                    /** Format: email */
                    supportEmail: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Portal"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getPublicPortal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicPortal"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            404: components["responses"]["NotFound"];
        };
    };
    submitPortalRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    name?: string;
                    subject: string;
                    description: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PortalRequest"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
        };
    };
    listEndUsers: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                email?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EndUserPage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    createEndUser: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    firstName?: string;
                    lastName?: string;
                    /**
                     * @default weak
                     * @enum {string}
                     */
                    association?: "weak" | "strong";
                    companyId: string;
                    /** @default [] */
                    groupIds?: string[];
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EndUser"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    createEndUsersInBulk: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    companyId: string;
                    items: {
                        /** Format: email */
                        email: string;
                        firstName?: string;
                        lastName?: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkEndUsers"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getEndUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endUserId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EndUser"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    deleteEndUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endUserId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
        };
    };
    updateEndUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endUserId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email?: string;
                    firstName?: string;
                    lastName?: string;
                    companyId?: string;
                    /** @constant */
                    association?: "strong";
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EndUser"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    inviteEndUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endUserId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
        };
    };
    listEndUserGroups: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EndUserGroupPage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    createEndUserGroup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EndUserGroup"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    listEndUserGroupMembers: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                groupId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EndUserPage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    addEndUserGroupMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                groupId: string;
                endUserId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EndUser"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
        };
    };
    removeEndUserGroupMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                groupId: string;
                endUserId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
        };
    };
    listTickets: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                status?: "queued" | "open" | "pending" | "solved" | "closed";
                companyId?: string;
                endUserId?: string;
                assigneeId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketPage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
        };
    };
    createTicket: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    companyId: string;
                    subject: string;
                    description: string;
                    endUserId?: string;
                    /** Format: email */
                    requesterEmail?: string;
                    assigneeId?: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Ticket"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getTicket: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                ticketId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Ticket"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
        };
    };
    updateTicket: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                ticketId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    status?: "open" | "pending" | "solved" | "closed";
                    assigneeId?: string | null;
                    subject?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Ticket"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    listTicketMessages: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                ticketId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketMessagePage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
        };
    };
    addTicketMessage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                ticketId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    body: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketMessage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    listQueue: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                companyId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueEntryPage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    claimQueueItem: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueClaim"];
                };
            };
            /** @description Done; no body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
        };
    };
    listAlerts: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertPage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    raiseAlert: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    companyId: string;
                    deviceId?: string;
                    /** @enum {string} */
                    urgency: "low" | "high" | "critical";
                    title: string;
                    body: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertWithDeliveries"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getAlert: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                alertId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertWithDeliveries"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    listIntegrationKeys: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IntegrationKeyPage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    createIntegrationKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NewIntegrationKey"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    revokeIntegrationKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
        };
    };
    listReportSubscriptions: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReportSubscriptionPage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    createReportSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    contactId: string;
                    companyId: string | null;
                    /** @enum {string} */
                    frequency: "daily" | "weekly";
                    weekday?: number;
                    hour: number;
                    timezone: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReportSubscription"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    deleteReportSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                subscriptionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
        };
    };
    listContacts: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContactPage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    createContact: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    companies: "all" | string[];
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Contact"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getContact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Contact"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    deleteContact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
        };
    };
    updateContact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    companies?: "all" | string[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Contact"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    listCompanyContacts: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                companyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContactPage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    addContactMethod: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type: "email";
                    /** Format: email */
                    address: string;
                    /** @default null */
                    label?: string | null;
                } | {
                    /** @enum {string} */
                    type: "sms" | "phone";
                    address: string;
                    /** @default null */
                    label?: string | null;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContactMethod"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    deleteContactMethod: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: string;
                methodId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
        };
    };
    updateContactMethod: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: string;
                methodId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    type?: "email" | "sms" | "phone";
                    address?: string;
                    label?: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContactMethod"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    addNotificationRule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    methodId: string;
                    /** @enum {string} */
                    use: "alert" | "report";
                    urgencies?: ("low" | "high" | "critical")[];
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationRule"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    deleteNotificationRule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: string;
                ruleId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
        };
    };
    getSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Settings"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    updateSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    sessionRecording?: boolean;
                    /** @enum {string} */
                    language?: "en" | "de" | "es" | "fr" | "it" | "pt" | "nl" | "ja" | "zh";
                    timezone?: string;
                    queueAlertAfterMinutes?: number;
                    portalLiveConnect?: boolean;
                    ticketAutoCloseDays?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Settings"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getCompanySettings: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                companyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompanySettings"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    updateCompanySettings: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                companyId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    sessionRecording?: boolean | null;
                    language?: ("en" | "de" | "es" | "fr" | "it" | "pt" | "nl" | "ja" | "zh") | null;
                    timezone?: string | null;
                    queueAlertAfterMinutes?: number | null;
                    portalLiveConnect?: boolean | null;
                    ticketAutoCloseDays?: unknown;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompanySettings"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getPortalPage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": components["schemas"]["HtmlPage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            404: components["responses"]["NotFoundPage"];
        };
    };
    getConsolePage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": components["schemas"]["HtmlPage"];
                };
            };
            404: components["responses"]["NotFoundPage"];
        };
    };
    listScimTokens: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScimTokenPage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    createScimToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    companyId: string;
                    /** @default  */
                    description?: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NewScimToken"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    revokeScimToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tokenId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
        };
    };
    getCompanyTeamsLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                companyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TeamsLink"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    putCompanyTeamsLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                companyId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The Microsoft 365 tenant's id (Entra ID → Overview → Tenant ID) */
                    tenantId: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TeamsLink"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    deleteCompanyTeamsLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                companyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
        };
    };
    receiveTeamsActivity: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    type: string;
                    id: string;
                    /** Format: uri */
                    serviceUrl: string;
                    channelId?: string;
                    from: {
                        id: string;
                        name?: string;
                        aadObjectId?: string;
                    } & {
                        [key: string]: unknown;
                    };
                    recipient: {
                        id: string;
                        name?: string;
                        aadObjectId?: string;
                    } & {
                        [key: string]: unknown;
                    };
                    conversation: {
                        id: string;
                        tenantId?: string;
                    } & {
                        [key: string]: unknown;
                    };
                    channelData?: {
                        tenant?: {
                            id: string;
                        } & {
                            [key: string]: unknown;
                        };
                    } & {
                        [key: string]: unknown;
                    };
                    text?: string;
                    membersAdded?: ({
                        id: string;
                        name?: string;
                        aadObjectId?: string;
                    } & {
                        [key: string]: unknown;
                    })[];
                    locale?: string;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TeamsActivityReceipt"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
}
