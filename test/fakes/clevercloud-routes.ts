import { type CleverCloudState, memberRole } from "./clevercloud-model";

export interface RouteAnswer {
  status: number;
  body: unknown;
}

const error = (status: number, message: string): RouteAnswer => ({
  status,
  body: { id: status * 10 + 4, message, type: "error" },
});

/**
 * The authenticated GET routes: `/v2/self`, `/v2/self/tokens/current`, `/v2/summary`,
 * `/v2/self/{applications,addons,members}` and `/v2/organisations/{id}[/applications|addons|members]`
 * (the personal space `user_...` answers like an organisation, as on Clever Cloud).
 */
export function answerRead(
  state: CleverCloudState,
  path: string,
  userId: string,
  currentToken: Record<string, unknown>,
): RouteAnswer {
  const user = state.users.find((candidate) => candidate.id === userId);
  const self = {
    id: userId,
    email: user?.email,
    name: user?.name,
    creationDate: user?.creationDate ?? 1_700_000_000_000,
    lang: "EN",
    emailValidated: true,
    admin: false,
    canPay: true,
    preferredMFA: "NONE",
    hasPassword: true,
  };
  const memberOf = state.organisations.filter((organisation) => memberRole(organisation, userId));
  if (path === "/v2/self") return { status: 200, body: self };
  if (path === "/v2/self/tokens/current") return { status: 200, body: currentToken };
  if (path === "/v2/summary") {
    return {
      status: 200,
      body: {
        user: { ...self, applications: user?.applications ?? [], addons: user?.addons ?? [] },
        organisations: memberOf.map((organisation) => ({
          id: organisation.id,
          name: organisation.name,
          role: memberRole(organisation, userId),
          applications: organisation.applications,
          addons: organisation.addons,
        })),
      },
    };
  }
  const match = /^\/v2\/(?:self|organisations\/([^/]+))(?:\/(applications|addons|members))?$/.exec(path);
  if (!match) return error(404, `no route GET ${path}`);
  const ownerId = match[1] ?? userId;
  const section = match[2] as "applications" | "addons" | "members" | undefined;
  const member = (memberId: string) => {
    const known = state.users.find((candidate) => candidate.id === memberId);
    return { id: memberId, email: known?.email, name: known?.name };
  };
  if (ownerId === userId) {
    if (!section) return { status: 200, body: { ...self, name: user?.name ?? userId } };
    if (section === "members")
      return { status: 200, body: [{ member: member(userId), role: "ADMIN", job: null }] };
    return { status: 200, body: user?.[section] ?? [] };
  }
  const organisation = state.organisations.find((candidate) => candidate.id === ownerId);
  if (!organisation) return error(404, "organisation not found");
  if (!memberRole(organisation, userId)) return error(403, "you are not a member of this organisation");
  if (!section) {
    return {
      status: 200,
      body: { id: organisation.id, name: organisation.name, description: organisation.description ?? "" },
    };
  }
  if (section === "members") {
    return {
      status: 200,
      body: organisation.members.map((entry) => {
        const memberId = typeof entry === "string" ? entry : entry.userId;
        return { member: member(memberId), role: memberRole(organisation, memberId), job: null };
      }),
    };
  }
  return { status: 200, body: organisation[section] };
}
