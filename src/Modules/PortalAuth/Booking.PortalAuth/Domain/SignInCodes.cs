using System.Security.Cryptography;
using System.Text;

namespace Booking.PortalAuth.Domain;

/// <summary>
/// What a code texted to a client is for. A code works only for the purpose it was sent for: sign-in and proving a
/// mobile are told apart by the attempt's <see cref="SignInAttempt.ClientId"/>; adding or changing the email of a
/// client without a password (<see cref="ChangeEmail"/>) is an attempt of that client's too, bound to its purpose by the
/// code's hash, so no sign-in or mobile-proving code opens it, nor its code them.
/// </summary>
public enum CodePurpose
{
    /// <summary>Phone sign-in (no client on the attempt) or proving a mobile from Your details (the client's).</summary>
    SignInOrProof,

    /// <summary>A signed-in client without a password adds or changes their email: a fresh code to their verified mobile.</summary>
    ChangeEmail,
}

/// <summary>
/// Six-digit codes from a CSPRNG, kept only as HMAC-SHA256(key, attempt id ‖ purpose ‖ code): a code is bound to its
/// attempt and its purpose, and a leaked table cannot be brute-forced without the key.
/// </summary>
public sealed class SignInCodes(byte[] key)
{
    public static string NewCode() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    public static bool IsWellFormed(string? code) => code is { Length: 6 } && code.All(char.IsAsciiDigit);

    /// <summary>
    /// A code as typed, as the checks read it (the API's commands and the pages alike: the commands normalise it): trimmed,
    /// and when every character is a decimal digit of any script (Arabic-Indic "١٢٣٤٥٦", Devanagari, full-width "１２３…",
    /// digits beyond the BMP, as a phone's keyboard may type them), written in ASCII digits. Anything else is left as typed,
    /// so <see cref="IsWellFormed"/> refuses it ("The code is 6 digits.").
    /// </summary>
    public static string? Normalised(string? code)
    {
        if (code is null)
        {
            return null;
        }

        var trimmed = code.Trim();
        var ascii = new StringBuilder(trimmed.Length);
        foreach (var rune in trimmed.EnumerateRunes())
        {
            if (!Rune.IsDigit(rune))
            {
                return trimmed;
            }

            ascii.Append((char)('0' + (int)Rune.GetNumericValue(rune)));
        }

        return ascii.ToString();
    }

    public byte[] Hash(Guid attemptId, string code, CodePurpose purpose = CodePurpose.SignInOrProof) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(attemptId.ToString("N") + (purpose == CodePurpose.ChangeEmail ? ":change-email:" : ":") + code));

    public bool Matches(Guid attemptId, string code, byte[] storedHash, CodePurpose purpose = CodePurpose.SignInOrProof) =>
        CryptographicOperations.FixedTimeEquals(Hash(attemptId, code, purpose), storedHash);
}
