package com.databox.cmk.emulator.identity;

import com.databox.cmk.emulator.entra.FederatedTokenHandler;
import com.databox.cmk.emulator.entra.TokenIssuer;
import java.util.Optional;

/**
 * Who may get a token through workload identity federation ({@link FederatedTokenHandler}): the app's
 * own identity and the identities it may use, as the managed-identity endpoint decides, each
 * standing in for an identity with a federated credential that trusts the external issuer.
 */
public final class FederatedIdentities implements FederatedTokenHandler.Identities {
    private final Directory directory;
    private final FunctionAppIdentities functionApp;
    private final TokenIssuer issuer;

    public FederatedIdentities(Directory directory, FunctionAppIdentities functionApp, TokenIssuer issuer) {
        this.directory = directory;
        this.functionApp = functionApp;
        this.issuer = issuer;
    }

    @Override
    public Optional<TokenIssuer.Token> mint(String tenantId, String clientId, String resource) {
        IdentityInfo system = directory.systemIdentity();
        Optional<IdentityInfo> identity = system.clientId().equalsIgnoreCase(clientId)
                ? Optional.of(system)
                : directory.byClientId(clientId).filter(functionApp::mayMint);
        return identity.filter(id -> id.tenantId().equalsIgnoreCase(tenantId))
                .map(id -> issuer.issue(resource, id.tenantId(), id.principalId(), id.clientId(), id.resourceId()));
    }
}
