package dev.escrowstack.escrow.parties;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

import dev.escrowstack.escrow.funds.MoneroBase58;
import dev.escrowstack.telemetry.Hashes;

/**
 * What the mailbox reads of a multisig key-exchange message of monero-wallet-rpc 0.18
 * (src/multisig/multisig_kex_msg.cpp): the round it was made for and the public key that signed it,
 * which is the same wallet key in every round of one participant. Not the keys it carries, and not the
 * signature: the wallets check those. Enough to refuse, before any wallet sees it, an info made for
 * another round or by another wallet than the party's round-1 info.
 *
 * <p>After the magic ({@link #MAGIC}, then {@code 1} or {@code n}) the message is base58 of: in round 1 a
 * 32-byte key, the 32-byte signing key and a 64-byte signature; in later rounds the round as a varint,
 * a varint count of 32-byte keys and those keys, then the signing key and the signature.
 *
 * @param round  the key-exchange round the wallet made it for (make_multisig's answer is round 2's)
 * @param signer hex of the signing public key: who made it
 */
record KexMessage(int round, String signer) {

    static final String MAGIC = "MultisigxV2R";
    private static final int KEY = 32;
    private static final int SIGNATURE = 64;

    /** The message {@code info} is, or empty when it is none (wrong magic, not base58, a truncated body). */
    static Optional<KexMessage> parse(String info) {
        if (info == null || info.length() <= MAGIC.length() || !info.startsWith(MAGIC)) {
            return Optional.empty();
        }
        char marker = info.charAt(MAGIC.length());
        byte[] body = MoneroBase58.decode(info.substring(MAGIC.length() + 1));
        if (body == null || body.length < KEY + SIGNATURE) {
            return Optional.empty();
        }
        String signer = HexFormat.of().formatHex(Arrays.copyOfRange(body, body.length - SIGNATURE - KEY, body.length - SIGNATURE));
        if (marker == '1') {
            return body.length == KEY + KEY + SIGNATURE ? Optional.of(new KexMessage(1, signer)) : Optional.empty();
        }
        if (marker != 'n') {
            return Optional.empty();
        }
        int[] at = { 0 };
        long round = varint(body, at);
        long keys = varint(body, at);
        if (round < 2 || keys < 0 || at[0] + keys * KEY + KEY + SIGNATURE != body.length) {
            return Optional.empty();
        }
        return Optional.of(new KexMessage((int) round, signer));
    }

    /** A short, stable name for the signing key in events and errors: its SHA-256, not the key. */
    String signerSha256() {
        return Hashes.sha256Hex(signer);
    }

    /** Monero's varint (7 bits a byte, low first); -1 when it runs past the end or past 32 bits. */
    private static long varint(byte[] data, int[] at) {
        long value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (at[0] >= data.length) {
                return -1;
            }
            int b = data[at[0]++] & 0xff;
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        return -1;
    }
}
