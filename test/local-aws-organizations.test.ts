/**
 * The local endpoint's Organizations `ListAccounts`, through the real SDK (`@aws-sdk/client-organizations`), as
 * the botocore model (organizations/2016-11-28) describes it: pages of at most `MaxResults` (1-20, default 20)
 * with an opaque `NextToken` until it is absent; `State` and `Status` on each account; only the management account
 * or a delegated administrator may list; outside an organization, `AWSOrganizationsNotInUseException`.
 */
import { ListAccountsCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type LocalAws, startLocalAws } from "../scripts/local-aws/server.ts";

let aws: LocalAws;
let client: OrganizationsClient;
beforeAll(async () => {
  aws = await startLocalAws();
  client = new OrganizationsClient({
    endpoint: aws.url,
    region: "us-east-1",
    maxAttempts: 1,
    credentials: {
      accessKeyId: aws.env.AWS_ACCESS_KEY_ID as string,
      secretAccessKey: aws.env.AWS_SECRET_ACCESS_KEY as string,
      sessionToken: aws.env.AWS_SESSION_TOKEN as string,
    },
  });
});
afterAll(async () => {
  client?.destroy();
  await aws?.close();
});
beforeEach(() => aws.reset());

const members = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: String(600_000_000_000 + i), name: `m-${i}` }));

describe("ListAccounts", () => {
  it("pages 20 accounts at a time by default, the management account first, until NextToken is absent", async () => {
    // Prepare
    aws.setOrganization(members(44));
    // Act
    const pages = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListAccountsCommand(token ? { NextToken: token } : {}));
      pages.push(page.Accounts ?? []);
      token = page.NextToken;
    } while (token);
    // Assess
    expect(pages.map((p) => p.length)).toEqual([20, 20, 5]);
    expect(pages[0]?.[0]).toMatchObject({
      Id: aws.homeAccountId,
      State: "ACTIVE",
      Status: "ACTIVE",
      JoinedMethod: "CREATED",
    });
    expect(pages[0]?.[0]?.JoinedTimestamp).toBeInstanceOf(Date);
    expect(pages[0]?.[0]?.Arn).toMatch(/^arn:aws:organizations::\d{12}:account\/o-[a-z0-9]{10,32}\/\d{12}$/);
  });

  it("takes MaxResults from 1 to 20 and answers InvalidInputException outside it or for a forged NextToken", async () => {
    // Prepare
    aws.setOrganization(members(3));
    // Act
    const one = await client.send(new ListAccountsCommand({ MaxResults: 1 }));
    const errors = await Promise.all(
      [{ MaxResults: 0 }, { MaxResults: 21 }, { NextToken: "forged" }].map((input) =>
        client.send(new ListAccountsCommand(input)).then(
          () => "accepted",
          (error: Error) => error.name,
        ),
      ),
    );
    // Assess
    expect(one.Accounts).toHaveLength(1);
    expect(one.NextToken).toBeDefined();
    expect(errors).toEqual(["InvalidInputException", "InvalidInputException", "InvalidInputException"]);
  });

  it("shows a suspended account's State and Status, and a closed one's State", async () => {
    // Prepare
    aws.setOrganization([
      { id: "600000000001", name: "s", state: "SUSPENDED" },
      { id: "600000000002", name: "c", state: "CLOSED" },
    ]);
    // Act
    const page = await client.send(new ListAccountsCommand({}));
    // Assess
    expect(page.Accounts?.slice(1).map((a) => [a.State, a.Status])).toEqual([
      ["SUSPENDED", "SUSPENDED"],
      ["CLOSED", "SUSPENDED"],
    ]);
  });

  it("answers AWSOrganizationsNotInUseException outside an organization", async () => {
    // Act
    const error = await client.send(new ListAccountsCommand({})).catch((e: Error) => e);
    // Assess
    expect((error as Error).name).toBe("AWSOrganizationsNotInUseException");
  });
});
