using System.Security.Cryptography;
using System.Text;

namespace Booking.PortalAuth.Domain;

/// <summary>
/// What a code texted to a client is for, kept on its attempt (<see cref="SignInAttempt.Purpose"/>, column <c>purpose</c>)
/// and bound into the code's hash where it is not phone sign-in's own: every route names the purposes it takes
/// (<see cref="CodePurposes"/>), and an attempt made for another purpose answers there as an unknown attempt, so a code
/// sent for one step never opens another (decision 237).
/// </summary>
public enum CodePurpose
{
    /// <summary>Phone sign-in (no client on the attempt).</summary>
    SignIn,

    /// <summary>A signed-in client with no verified mobile proves one from Your details.</summary>
    AddMobile,

    /// <summary>
    /// A signed-in client replaces their verified mobile, having first proved the current one (their password, or a
    /// <see cref="ConfirmMobile"/> code): the code to the new number.
    /// </summary>
    ChangeMobile,

    /// <summary>A signed-in client without a password adds or changes their email: a fresh code to their verified mobile.</summary>
    ChangeEmail,

    /// <summary>A signed-in client without a password proves their current verified mobile before replacing it.</summary>
    ConfirmMobile,
}

/// <summary>The purposes each route takes.</summary>
public static class CodePurposes
{
    public static readonly CodePurpose[] SignIn = [CodePurpose.SignIn];

    /// <summary>The Your details → mobile code page: the code to the number being added or put in place of the old one.</summary>
    public static readonly CodePurpose[] MobileProof = [CodePurpose.AddMobile, CodePurpose.ChangeMobile];

    public static readonly CodePurpose[] ChangeEmail = [CodePurpose.ChangeEmail];

    public static readonly CodePurpose[] ConfirmMobile = [CodePurpose.ConfirmMobile];
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

    /// <summary>
    /// Sign-in and proving a mobile keep the original form (a code sent before the purposes were told apart still works);
    /// the steps that guard a change of the account bind their purpose into the hash as well as the column.
    /// </summary>
    public byte[] Hash(Guid attemptId, string code, CodePurpose purpose) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(attemptId.ToString("N") + purpose switch
        {
            CodePurpose.ChangeEmail => ":change-email:",
            CodePurpose.ConfirmMobile => ":confirm-mobile:",
            _ => ":",
        } + code));

    public bool Matches(Guid attemptId, string code, byte[] storedHash, CodePurpose purpose) =>
        CryptographicOperations.FixedTimeEquals(Hash(attemptId, code, purpose), storedHash);
}
