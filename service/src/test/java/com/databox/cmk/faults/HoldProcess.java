package com.databox.cmk.faults;

import com.databox.cmk.order.IfMatch;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.Stage;
import com.databox.cmk.order.TenantId;
import java.util.Arrays;

/**
 * Moves an order to Data Copy in a JVM of its own, so that a test can kill it between the write and
 * the relay of its event: arguments are the {@link StandaloneServices.Settings}, then the order name
 * and its tenant. The key check fails, so the move holds the order and writes its
 * {@code WaitingForCustomerActionForKek} event into the outbox. Prints {@code WIRED} once ready and
 * {@code HELD <code>} when the hold is stored.
 */
public final class HoldProcess {

    private HoldProcess() {}

    public static void main(String[] args) {
        int n = StandaloneServices.Settings.ARG_COUNT;
        if (args.length != n + 2) {
            System.err.println("usage: HoldProcess <" + n + " settings> <orderName> <tenantId>, got "
                    + Arrays.toString(args).length() + " chars of arguments");
            System.exit(2);
        }
        StandaloneServices.Settings settings = StandaloneServices.Settings.fromArgs(args, 0);
        try (StandaloneServices service = StandaloneServices.start(settings)) {
            System.out.println("WIRED");
            System.out.flush();
            service.encryption()
                    .moveStage(
                            new OrderRef(new TenantId(args[n + 1]), new OrderName(args[n])),
                            Stage.DataCopy,
                            IfMatch.ABSENT,
                            "crash-test-child");
            System.out.println("MOVED");
        } catch (RuntimeException e) {
            System.out.println("HELD " + e.getMessage());
        }
        System.out.flush();
        System.exit(0);
    }
}
