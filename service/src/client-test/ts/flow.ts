/*
 * The customer-managed-key flow through the TypeScript (fetch) client that openapi-generator made from the
 * app's own OpenAPI document (pom.xml profile openapi-client), unchanged. Started by
 * GeneratedTypeScriptClientFlowTest, which passes in the environment:
 *   APP_URL        the app's base URL (the client adds /api/...)
 *   TOKEN          a caller token with every app role
 *   KEY_V1, KEY_V2 two versions of one key; VAULT_ID its vault's resource ID
 *   UAI            a user-assigned identity granted the key; UAI_NO_ACCESS one that is not
 * The client is configured as on Azure, with a bearer token only; the function key it was given before
 * 2026-12-06 is still set, and the client must not send it (the document names no key scheme).
 * Prints one line a step and "TS CLIENT FLOW PASSED" at the end; exits 1 at the first surprise. It never
 * prints the device password, only that it stayed the same.
 */
import {
    AuditsResourceApi,
    Configuration,
    EnableBody,
    EncryptionResourceApi,
    ErrorJsonFromJSON,
    OrdersResourceApi,
    ResponseError,
} from '../../../target/generated-ts-client';

declare const process: { env: Record<string, string | undefined>; exit(code: number): never };

const env = (name: string): string => {
    const value = process.env[name];
    if (!value) fail(name + ' is not set');
    return value as string;
};
const APP_URL = env('APP_URL');
const TOKEN = env('TOKEN');
const KEY_V1 = env('KEY_V1');
const KEY_V2 = env('KEY_V2');
const VAULT_ID = env('VAULT_ID');
const UAI = env('UAI');
const UAI_NO_ACCESS = env('UAI_NO_ACCESS');

function fail(text: string): never {
    console.log('FAILED ' + text);
    process.exit(1);
}
function check(condition: boolean, text: string): void {
    if (!condition) fail(text);
}
function step(text: string): void {
    console.log('OK ' + text);
}

// Since 2026-12-06 every function is anonymous to the Functions host and the document names only the bearer
// scheme. A client still configured with a function key (apiKey) is unaffected; the flow checks on the client's
// side that every call sent the token and none sent the key.
const OLD_FUNCTION_KEY = 'a-function-key-of-the-app';
let callsSent = 0;
const callsNotAsExpected: string[] = [];
const configuration = new Configuration({
    basePath: APP_URL.replace(/\/+$/, ''),
    accessToken: TOKEN,
    apiKey: OLD_FUNCTION_KEY,
    middleware: [
        {
            pre: async (context) => {
                callsSent++;
                const headers = (context.init.headers ?? {}) as Record<string, string>;
                if (!('Authorization' in headers) || 'x-functions-key' in headers) {
                    callsNotAsExpected.push(context.init.method + ' ' + context.url);
                }
            },
        },
    ],
});
const orders = new OrdersResourceApi(configuration);
const encryption = new EncryptionResourceApi(configuration);
const audits = new AuditsResourceApi(configuration);

/** The error a call ended with, read into the generated ErrorJson model. */
async function refusal(call: Promise<unknown>): Promise<{ status: number; code: string }> {
    try {
        await call;
    } catch (e) {
        if (e instanceof ResponseError) {
            const error = ErrorJsonFromJSON(await e.response.json());
            return { status: e.response.status, code: error.error?.code ?? '' };
        }
        fail('not an HTTP error: ' + e);
    }
    return fail('the call succeeded');
}

/** Differences between the JSON the app sent and what the generated model holds (dates as instants). */
function lost(raw: unknown, model: unknown, path = ''): string[] {
    if (raw === null || typeof raw !== 'object') {
        const same = raw === model
            || (model instanceof Date && typeof raw === 'string' && new Date(raw).getTime() === model.getTime());
        return same ? [] : [path + ': sent ' + JSON.stringify(raw) + ', model ' + JSON.stringify(model)];
    }
    const held = (model ?? {}) as Record<string, unknown>;
    return Object.entries(raw as Record<string, unknown>).flatMap(([key, value]) =>
        lost(value, held[key], path + '.' + key));
}

/** The key's first version, used through the user-assigned identity {@code identity}. */
function firstVersionThrough(identity: string): EnableBody {
    return {
        kekUrl: KEY_V1,
        kekVaultResourceID: VAULT_ID,
        identityProperties: { type: 'UserAssigned', userAssigned: { resourceId: identity } },
    };
}

async function password(name: string): Promise<string> {
    const credentials = await orders.listCredentials({ orderName: name });
    check(!!credentials.devicePassword, 'listCredentials answers a device password');
    return credentials.devicePassword as string;
}

async function main(): Promise<void> {
    const name = 'ts-' + Date.now().toString(36);
    const created = await orders.createOrderRaw({
        orderName: name,
        createOrderBody: {
            location: 'westus',
            identity: { type: 'UserAssigned', userAssignedIdentities: { [UAI]: {}, [UAI_NO_ACCESS]: {} } },
        },
    });
    const order = await created.value();
    check(created.raw.status === 201, 'create answers 201, not ' + created.raw.status);
    check((created.raw.headers.get('Location') ?? '').endsWith('/api/orders/' + name), 'Location names the order');
    check(created.raw.headers.get('ETag') === order.etag, 'the ETag header is the body\'s etag');
    check(order.keyEncryptionKey?.kekType === 'MicrosoftManaged', 'Microsoft-managed at creation');
    const devicePassword = await password(name);
    step('createOrder: 201, Location, ETag, Microsoft-managed key');

    const enabled = await encryption.enableCmk({
        orderName: name,
        enableBody: firstVersionThrough(UAI),
    });
    check(enabled.keyEncryptionKey?.kekType === 'CustomerManaged', 'enabled: CustomerManaged');
    check(enabled.keyEncryptionKey?.kekUrl === KEY_V1, 'enabled: the version asked for');
    check((await password(name)) === devicePassword, 'the device password kept by enable');
    step('enableCmk: the customer\'s key, the same device password');

    const response = await fetch(APP_URL.replace(/\/+$/, '') + '/api/orders/' + name, {
        headers: { Authorization: 'Bearer ' + TOKEN },
    });
    const sent = await response.json();
    const differences = lost(sent, await orders.getOrder({ orderName: name }));
    check(differences.length === 0, 'the model holds all the app sent: ' + differences.join('; '));
    step('getOrder: the model holds every member the app sent');

    const current = await encryption.validateEncryption({ orderName: name });
    check(current.valid === true, 'validate of the current configuration passes');
    const proposed = await encryption.validateEncryption({
        orderName: name,
        enableBody: firstVersionThrough(UAI_NO_ACCESS),
    });
    const failed = (proposed.checks ?? []).filter((c) => c.status === 'Failed');
    check(proposed.valid === false && failed.length > 0 && !!failed[0].errorCode,
        'validate of a proposal without access fails a check with its code');
    step('validateEncryption: the current configuration passes, a proposal without access fails '
        + failed[0].errorCode);

    const first = await orders.listOrders({ top: 1 });
    check((first.value ?? []).length === 1, 'a page of one order');
    check(!!first.nextLink, 'a nextLink: the tests\' tenant has more than one order');
    const skipToken = new URL(first.nextLink as string).searchParams.get('$skipToken') as string;
    const second = await orders.listOrders({ top: 1, $skipToken: skipToken });
    check((second.value ?? []).length === 1
        && (second.value![0].name as string) > (first.value![0].name as string), 'the next page, in name order');
    step('listOrders: top as a number, the next page through $skipToken');

    const changed = await encryption.changeKey({
        orderName: name,
        ifMatch: enabled.etag,
        changeKeyBody: { kekUrl: KEY_V2, kekVaultResourceID: VAULT_ID },
    });
    check(changed.keyEncryptionKey?.kekUrl === KEY_V2, 'changed to the new version');
    check((await password(name)) === devicePassword, 'the device password kept by change-key');
    step('changeKey with If-Match: the new version, the same device password');

    const stale = await refusal(encryption.useMicrosoftKey({ orderName: name, ifMatch: enabled.etag }));
    check(stale.status === 412 && stale.code === 'PreconditionFailed', 'a stale If-Match: 412 PreconditionFailed, not '
        + JSON.stringify(stale));
    const reverted = await encryption.useMicrosoftKey({ orderName: name, ifMatch: changed.etag });
    check(reverted.keyEncryptionKey?.kekType === 'MicrosoftManaged' && !reverted.keyEncryptionKey?.kekUrl,
        'reverted to the Microsoft-managed key');
    check((await password(name)) === devicePassword, 'the device password kept by the revert');
    step('useMicrosoftKey: 412 with a stale ETag, then reverted, the same device password');

    const missing = await refusal(orders.getOrder({ orderName: name + '-none' }));
    check(missing.status === 404 && missing.code === 'OrderNotFound', 'an unknown order: 404 OrderNotFound');
    step('errors: the contract\'s body read into the generated ErrorJson');

    const started = await audits.startAuditRaw();
    check(started.raw.status === 202, 'start-audit answers 202');
    const location = started.raw.headers.get('Location') ?? '';
    check(!!started.raw.headers.get('Retry-After'), 'start-audit says when to poll');
    const runId = (await started.value()).runId as string;
    check(location.endsWith('/api/audits/' + runId), 'Location names the run');
    for (let polls = 0; ; polls++) {
        const status = await audits.getAuditRaw({ runId });
        const report = await status.value();
        if (status.raw.status === 200) {
            check(report.status === 'Succeeded', 'the run succeeded');
            break;
        }
        check(status.raw.status === 202 && polls < 120, 'the run is still running (202), not ' + status.raw.status);
        await new Promise((resolve) => setTimeout(resolve, 500));
    }
    step('startAudit and getAudit: 202 with Location and Retry-After, then 200 with the report');
    check(callsSent > 10 && callsNotAsExpected.length === 0,
        'every call sends the bearer token and no x-functions-key; not: ' + callsNotAsExpected.join(', '));
    step('the bearer token and no function key sent on all ' + callsSent + ' calls');
    console.log('TS CLIENT FLOW PASSED');
}

main().catch((e) => fail('unexpected: ' + (e instanceof ResponseError ? e.response.status + ' ' + e.message : e)));
