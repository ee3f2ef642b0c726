package com.databox.cmk.faults;

import com.databox.cmk.order.IfMatch;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.RequestedKeyUrl;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.order.VaultResourceId;
import java.util.Arrays;

/**
 * A key change in a JVM of its own, so that a test can kill it at any step: arguments are the
 * {@link StandaloneServices.Settings}, then the order name and the new key URL. It reads
 * IDENTITY_ENDPOINT and IDENTITY_HEADER from its environment, as the function app does.
 * Prints {@code WIRED} once ready and {@code CHANGED <etag>} when the change is stored.
 */
public final class KeyChangeProcess {

    private KeyChangeProcess() {}

    public static void main(String[] args) {
        int n = StandaloneServices.Settings.ARG_COUNT;
        if (args.length != n + 4) {
            System.err.println("usage: KeyChangeProcess <" + n
                    + " settings> <orderName> <newKekUrl> <kekVaultResourceID> <tenantId>, got "
                    + Arrays.toString(args).length() + " chars of arguments");
            System.exit(2);
        }
        StandaloneServices.Settings settings = StandaloneServices.Settings.fromArgs(args, 0);
        int status = 0;
        try (StandaloneServices service = StandaloneServices.start(settings)) {
            System.out.println("WIRED");
            System.out.flush();
            // Another vault: its resource ID goes with the change (issue 11, item 6).
            Order changed = service.encryption()
                    .changeKey(
                            new OrderRef(new TenantId(args[n + 3]), new OrderName(args[n])),
                            RequestedKeyUrl.read(args[n + 1]),
                            false,
                            VaultResourceId.parseOptional(args[n + 2]),
                            IfMatch.ABSENT,
                            "crash-test-child");
            System.out.println("CHANGED " + changed.etag());
        } catch (RuntimeException e) {
            System.out.println("FAILED " + e.getClass().getName() + ": " + e.getMessage());
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }
}
