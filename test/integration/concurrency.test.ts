import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../support/api";
import { outscaleBody } from "../support/fixtures";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.stop());

const count = (statuses: number[], status: number) => statuses.filter((value) => value === status).length;

describe("rules that hold under concurrency", () => {
  it("lets exactly one of 50 simultaneous creates of one name through", async () => {
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        api.request("POST", "/v1/credentials", {
          body: outscaleBody(index % 2 ? "Racing-Name" : "racing-name"),
        }),
      ),
    );
    const statuses = replies.map((reply) => reply.status);
    expect(count(statuses, 201)).toBe(1);
    expect(count(statuses, 409)).toBe(49);
    expect(
      replies
        .filter((reply) => reply.status === 409)
        .every((reply) => reply.json.code === "credential_name_taken"),
    ).toBe(true);
    const listed = await api.request("GET", "/v1/credentials?q=racing-name");
    expect(listed.json.items).toHaveLength(1);
  });

  it("lets exactly one of 20 PATCHes with the same If-Match win", async () => {
    const created = await api.request("POST", "/v1/credentials", { body: outscaleBody("patch-race") });
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        api.request("PATCH", `/v1/credentials/${created.json.id}`, {
          body: { description: `writer ${index}` },
          headers: { "if-match": '"1"' },
        }),
      ),
    );
    const statuses = replies.map((reply) => reply.status);
    expect(count(statuses, 200)).toBe(1);
    expect(count(statuses, 412)).toBe(19);
    const winner = replies.find((reply) => reply.status === 200)!;
    const stored = await api.request("GET", `/v1/credentials/${created.json.id}`);
    expect(stored.json).toMatchObject({ version: 2, description: winner.json.description });
  });

  it("lets exactly one of two credentials take a name in simultaneous renames", async () => {
    const ids = await Promise.all(
      ["rename-race-a", "rename-race-b", "rename-race-c"].map(
        async (name) =>
          (await api.request("POST", "/v1/credentials", { body: outscaleBody(name) })).json.id as string,
      ),
    );
    const replies = await Promise.all(
      ids.map((id) =>
        api.request("PATCH", `/v1/credentials/${id}`, {
          body: { name: "the-one-name" },
          headers: { "if-match": '"1"' },
        }),
      ),
    );
    const statuses = replies.map((reply) => reply.status);
    expect(count(statuses, 200)).toBe(1);
    expect(count(statuses, 409)).toBe(2);
    const listed = await api.request("GET", "/v1/credentials?q=the-one-name");
    expect(listed.json.items).toHaveLength(1);
    expect(
      replies
        .filter((reply) => reply.status === 409)
        .every((reply) => reply.json.code === "credential_name_taken"),
    ).toBe(true);
  });
});
