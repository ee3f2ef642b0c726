package com.databox.cmk.order;

import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import java.util.Optional;
import java.util.Set;

/**
 * An order whose stored row cannot be read again ({@code column}: the stored field that is damaged): a hand edit
 * or storage corruption, never a release's write. A reader of many orders leaves it out and names it rather than
 * failing the others.
 *
 * @param identities every identity its row names, when a reader read them and each could be read; empty when not
 *     (an identity's column is the damaged one, say): then any identity may be its
 */
public record UnreadableOrder(OrderRef order, String column, Optional<Set<UserAssignedIdentityId>> identities) {
    public UnreadableOrder {
        identities = identities.map(Set::copyOf);
    }

    /** A damaged row whose identities were not read. */
    public UnreadableOrder(OrderRef order, String column) {
        this(order, column, Optional.empty());
    }

    /**
     * Whether the order may hold {@code id}: each identity its row names, whatever its stage and last change say
     * (a damaged row is not trusted to tell that it let them go), and every identity when they are not all known.
     */
    public boolean mayHold(UserAssignedIdentityId id) {
        return identities.map(named -> named.contains(id)).orElse(true);
    }

    /** Whether the identities it names are known; otherwise it {@link #mayHold} any. */
    public boolean namesItsIdentities() {
        return identities.isPresent();
    }
}
