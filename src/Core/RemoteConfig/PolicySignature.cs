using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Vigil.Core.RemoteConfig;

/// <summary>
/// Ed25519 signatures of policy payloads (RFC 8032, through BouncyCastle: .NET 10 has no standalone Ed25519).
/// The Api signs with the organization's private key; agents verify with the public key they pinned.
/// </summary>
public static class PolicySignature
{
    public const int KeySize = 32;
    public const int SignatureSize = 64;

    /// <summary>A fresh key pair: raw 32-byte private seed and raw 32-byte public key.</summary>
    public static (byte[] PrivateKey, byte[] PublicKey) GenerateKeyPair()
    {
        var seed = RandomNumberGenerator.GetBytes(KeySize);
        var privateKey = new Ed25519PrivateKeyParameters(seed);
        return (seed, privateKey.GeneratePublicKey().GetEncoded());
    }

    public static byte[] Sign(byte[] privateKey, byte[] payload)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, new Ed25519PrivateKeyParameters(privateKey));
        signer.BlockUpdate(payload, 0, payload.Length);
        return signer.GenerateSignature();
    }

    /// <summary>False for a wrong key size, a wrong signature size or a signature that does not match.</summary>
    public static bool Verify(byte[] publicKey, byte[] payload, byte[] signature)
    {
        if (publicKey.Length != KeySize || signature.Length != SignatureSize)
            return false;
        var verifier = new Ed25519Signer();
        verifier.Init(false, new Ed25519PublicKeyParameters(publicKey));
        verifier.BlockUpdate(payload, 0, payload.Length);
        return verifier.VerifySignature(signature);
    }
}
