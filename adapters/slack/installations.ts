import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Installation, InstallationStore } from '@slack/bolt';
import * as z from 'zod';
import type { InstallationRepo } from '../../src/store/shared/state.js';

/**
 * Slack installations (one per workspace, or per Enterprise Grid org for an org-wide install),
 * kept in the shared state's `installations` table sealed with AES-256-GCM under
 * SLACK_INSTALLATION_KEY: the database never holds a token in clear. Each sealed value is bound
 * to its row key (as the cipher's additional data), so a value copied to another row does not open.
 */

const SEAL_VERSION = 'v1';
/** GCM's recommended nonce size; a fresh random one per seal. */
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function seal(key: Buffer, rowKey: string, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(rowKey, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${SEAL_VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
}

export function unseal(key: Buffer, rowKey: string, sealed: string): string {
  const [version, payload] = sealed.split(':', 2);
  if (version !== SEAL_VERSION || payload === undefined)
    throw new Error(`the stored Slack installation "${rowKey}" is not in a sealed form this version reads`);
  const bytes = Buffer.from(payload, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(rowKey, 'utf8'));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new Error(
      `the stored Slack installation "${rowKey}" does not open with SLACK_INSTALLATION_KEY: the key changed since it was stored, or the row was altered (reinstall the app in that workspace)`,
    );
  }
}

/** What an installation must have for the bot to use it; the rest is kept as Slack gave it. */
const StoredInstallation = z.looseObject({
  team: z.looseObject({ id: z.string() }).optional(),
  enterprise: z.looseObject({ id: z.string() }).optional(),
  isEnterpriseInstall: z.boolean().optional(),
  user: z.looseObject({ id: z.string() }),
  bot: z.looseObject({ token: z.string(), userId: z.string() }).optional(),
});

/** Where an installation is found: a workspace's or, for an org-wide install, the org's. */
interface Where {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}

/**
 * The id a subscription names its installation by (and the one digests are posted with): the
 * org's for an org-wide install, the workspace's otherwise.
 */
export function installationIdOf(where: Where): string | undefined {
  return where.isEnterpriseInstall ? where.enterpriseId : where.teamId;
}

/** The row key of an installation id: "enterprise:E…" for an org, "team:T…" for a workspace. */
function rowKeyOf(id: string): string {
  return id.startsWith('E') ? `enterprise:${id}` : `team:${id}`;
}

export interface SlackInstallations extends Required<InstallationStore> {
  /** The bot token of an installation (by installationIdOf), or undefined when it is not installed. */
  botTokenOf(id: string): Promise<string | undefined>;
  /** Forgets an installation (uninstalled, or its tokens revoked); true when there was one. */
  remove(id: string): Promise<boolean>;
}

export function createInstallationStore(repo: InstallationRepo, key: Buffer, now: () => Date = () => new Date()): SlackInstallations {
  const read = async (id: string): Promise<Installation | undefined> => {
    const rowKey = rowKeyOf(id);
    const sealed = await repo.fetch(rowKey);
    if (sealed === undefined) return undefined;
    const value: unknown = JSON.parse(unseal(key, rowKey, sealed));
    const parsed = StoredInstallation.safeParse(value);
    if (!parsed.success) throw new Error(`the stored Slack installation "${rowKey}" is not an installation: ${parsed.error.message}`);
    // Checked for what the bot uses; the rest is Slack's own shape, stored as @slack/oauth made it.
    return value as Installation;
  };
  const idOrFail = (where: Where): string => {
    const id = installationIdOf(where);
    if (!id) throw new Error('a Slack installation without a workspace or org id');
    return id;
  };
  return {
    async storeInstallation(installation) {
      const id = idOrFail({
        teamId: installation.team?.id,
        enterpriseId: installation.enterprise?.id,
        isEnterpriseInstall: installation.isEnterpriseInstall === true,
      });
      const rowKey = rowKeyOf(id);
      await repo.save(rowKey, seal(key, rowKey, JSON.stringify(installation)), now());
    },
    async fetchInstallation(query) {
      const found = await read(idOrFail(query));
      if (!found) throw new Error(`no Slack installation for ${installationIdOf(query)}: the app is not installed there`);
      return found;
    },
    async deleteInstallation(query) {
      await repo.delete(rowKeyOf(idOrFail(query)));
    },
    async botTokenOf(id) {
      return (await read(id))?.bot?.token;
    },
    remove: (id) => repo.delete(rowKeyOf(id)),
  };
}
