using System.Security.Cryptography;
using System.Text;

namespace Booking.PortalAuth.Domain;

/// <summary>
/// Six-digit codes from a CSPRNG, kept only as HMAC-SHA256(key, attempt id ‖ code): a code is bound to its
/// attempt, and a leaked table cannot be brute-forced without the key.
/// </summary>
public sealed class SignInCodes(byte[] key)
{
    public static string NewCode() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    public static bool IsWellFormed(string? code) => code is { Length: 6 } && code.All(char.IsAsciiDigit);

    public byte[] Hash(Guid attemptId, string code) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(attemptId.ToString("N") + ":" + code));

    public bool Matches(Guid attemptId, string code, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(attemptId, code), storedHash);
}
