package dev.escrowstack.gateway.wallet;

import static dev.escrowstack.telemetry.EscrowAttributes.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.gateway.process.WalletProcess;
import dev.escrowstack.gateway.rpc.RpcCallContext;
import dev.escrowstack.telemetry.SpanNames;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/**
 * One {@code wallet.file} span per wallet file operation (create, open, park, close, move, quarantine), so
 * the escrow's file shows the skill's FILE_OPERATION events: which wallet, which process, how long, whether it
 * worked. The operation's wallet RPC calls are its children. It carries the escrow.id of the lease it is done
 * for (none for spares, which belong to no escrow yet) and never a password or a path: only the wallet id and
 * the permissions of its keys file.
 */
@ApplicationScoped
public class WalletFileSpans {

    private final Tracer tracer;

    public WalletFileSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    public <T> T run(String operation, WalletProcess process, RpcCallContext context, String walletId, Supplier<T> work) {
        Span span = tracer.spanBuilder(SpanNames.WALLET_FILE)
                .setAttribute(WALLET_FILE_OPERATION, operation)
                .setAttribute(WALLET_PROCESS, (long) process.index())
                .setAttribute(SERVER_PORT, (long) process.port())
                .startSpan();
        setIfPresent(span, WALLET_ID, walletId);
        setIfPresent(span, ESCROW_ID, context == null ? null : context.escrowId());
        setIfPresent(span, ESCROW_ROLE, context == null ? null : context.role());
        setIfPresent(span, LEASE_ID, context == null ? null : context.leaseId());
        try (Scope ignored = span.makeCurrent()) {
            T result = work.get();
            if (walletId != null) {
                setIfPresent(span, WALLET_FILE_PERMS, permissions(process.walletDir().resolve(walletId + ".keys")));
            }
            return result;
        } catch (RuntimeException e) {
            span.setAttribute(ERROR_TYPE, e.getClass().getName());
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            throw e;
        } finally {
            span.end();
        }
    }

    /** The file's permissions as an octal string ({@code "600"}), the skill's file_perms; null when it is not there. */
    public static String permissions(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            int mode = 0;
            for (PosixFilePermission bit : p) {
                mode |= 1 << (8 - bit.ordinal()); // OWNER_READ is ordinal 0 = 0400 … OTHERS_EXECUTE is 8 = 0001
            }
            return Integer.toOctalString(mode);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static void setIfPresent(Span span, String key, String value) {
        if (value != null) {
            span.setAttribute(key, value);
        }
    }
}
