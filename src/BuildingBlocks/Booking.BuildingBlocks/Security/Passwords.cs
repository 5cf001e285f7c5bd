using System.Collections.Frozen;
using System.Text;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Booking.BuildingBlocks.Security;

/// <summary>
/// NIST SP 800-63B rev 4 for single-factor passwords: at least 15 characters, no composition rules,
/// NFKC-normalised, refused when on a published list of common passwords, when only such a password padded out with a
/// few digits or symbols, or one character, a short pattern or a run in order (decision 262). One rule for clients and staff.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 15;
    public const int MaxLength = 256;

    private static readonly Lazy<FrozenSet<string>> Common = new(LoadCommonPasswords);

    public static int CommonPasswordCount => Common.Value.Count;

    /// <summary>What a password holding a character that is not text (<see cref="WellFormedText"/>) is told.</summary>
    public const string NotTextMessage = "This password holds a character that is not text (such as U+FFFE); remove it.";

    /// <summary>The NFKC form, or false for a password that is not <see cref="WellFormedText">well formed</see> (which normalising would throw on).</summary>
    public static bool TryNormalise(string password, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? normalised) =>
        WellFormedText.TryNormalize(password, NormalizationForm.FormKC, out normalised);

    /// <summary>Null when the password is acceptable, else the message to show next to the field.</summary>
    public static string? Check(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "Enter a password.";
        }

        if (!TryNormalise(password, out var normalised))
        {
            return NotTextMessage;
        }

        var length = new System.Globalization.StringInfo(normalised).LengthInTextElements;
        if (length < MinLength)
        {
            return $"Use at least {MinLength} characters; a short sentence works well.";
        }

        if (length > MaxLength)
        {
            return $"Use at most {MaxLength} characters.";
        }

        if (IsRepeatedPattern(normalised))
        {
            return "Don't use one character or a short pattern over and over; a short sentence works well.";
        }

        if (IsSimpleSequence(normalised))
        {
            return "Don't use a run of letters or digits in order (abcd…, 1234…); a short sentence works well.";
        }

        if (IsCommon(normalised))
        {
            return "This password is too common; choose another.";
        }

        return IsCommonWithPadding(normalised)
            ? "This password is a common password with digits or symbols added, which is among the first guesses; choose another."
            : null;
    }

    /// <summary>
    /// A common password padded out to length ("password12345678", "!!!password2024!!!", "p@ssw0rd!"): its letters
    /// alone, or what is left with the digits, symbols and spaces at either end taken off, are on the common list, and
    /// what was taken off is itself weak (<see cref="IsWeakPadding"/>). A long random tail is not weak, so a common word
    /// followed by, say, twelve random digits is not refused for the word.
    /// </summary>
    public static bool IsCommonWithPadding(string normalised)
    {
        var text = normalised.ToLowerInvariant();
        var letters = new string(text.Where(char.IsLetter).ToArray());
        if (letters.Length > 0 && letters.Length < text.Length && IsCommon(letters)
            && IsWeakPadding(new string(text.Where(c => !char.IsLetter(c)).ToArray())))
        {
            return true;
        }

        var start = 0;
        while (start < text.Length && !char.IsLetter(text[start]))
        {
            start++;
        }

        var end = text.Length;
        while (end > start && !char.IsLetter(text[end - 1]))
        {
            end--;
        }

        return end > start && end - start < text.Length && IsCommon(text[start..end]) && IsWeakPadding(text[..start] + text[end..]);
    }

    /// <summary>
    /// Padding that adds few guesses: fewer than 8 characters once runs of one character count once ("!!!2024!!!" is
    /// "!2024!"), any piece repeated ("2024!2024!"), a run in order ("12345678"), or a common password itself.
    /// </summary>
    private static bool IsWeakPadding(string padding)
    {
        var runs = padding.Where((c, i) => i == 0 || c != padding[i - 1]).Count();
        return runs < 8 || IsRepeated(padding) || IsSimpleSequence(padding) || IsCommon(padding);
    }

    /// <summary>The text is one piece of at most half its length over and over.</summary>
    private static bool IsRepeated(string text)
    {
        for (var unit = 1; unit <= text.Length / 2; unit++)
        {
            if (text.Length % unit == 0 && string.Concat(Enumerable.Repeat(text[..unit], text.Length / unit)) == text)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Letters or digits in order, up or down, one step at a time ("abcdefghijklmnop", "123456789012345", "98765…"),
    /// letter case aside; digits go round (…8, 9, 0, 1…).
    /// </summary>
    public static bool IsSimpleSequence(string normalised)
    {
        var text = normalised.ToLowerInvariant();
        if (text.Length < 3)
        {
            return false;
        }

        for (var step = 1; step >= -1; step -= 2) // up, then down
        {
            var ordered = true;
            for (var i = 1; i < text.Length && ordered; i++)
            {
                var (before, now) = (text[i - 1], text[i]);
                ordered = char.IsAsciiDigit(before) && char.IsAsciiDigit(now)
                    ? (before - '0' + step + 10) % 10 == now - '0'
                    : char.IsLetter(before) && char.IsLetter(now) && now - before == step;
            }

            if (ordered)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// One character or a run of at most four repeated to the end ("aaaa…", "abab…", "1234 1234 …" without the
    /// spaces), letter case aside: long enough, yet among the first guesses.
    /// </summary>
    public static bool IsRepeatedPattern(string normalised)
    {
        var text = normalised.ToLowerInvariant();
        for (var unit = 1; unit <= 4 && unit < text.Length; unit++)
        {
            var repeated = true;
            for (var i = unit; i < text.Length && repeated; i++)
            {
                repeated = text[i] == text[i % unit];
            }

            if (repeated)
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsCommon(string normalised) => Common.Value.Contains(normalised.ToLowerInvariant());

    /// <summary>zxcvbn's published list of the most common passwords (about 30,000), loaded once.</summary>
    private static FrozenSet<string> LoadCommonPasswords()
    {
        var assembly = typeof(Zxcvbn.Zxcvbn).Assembly;
        using var stream = assembly.GetManifestResourceStream("zxcvbn-core.Dictionaries.passwords.lst")
            ?? throw new InvalidOperationException("The common-password list is missing from zxcvbn-core.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                set.Add(line.Trim().ToLowerInvariant());
            }
        }

        return set.ToFrozenSet(StringComparer.Ordinal);
    }
}

/// <summary>PBKDF2-HMAC-SHA512 (ASP.NET Core's v3 format) at 210,000 iterations, over the NFKC form.</summary>
public sealed class PasswordHashing
{
    public const int Iterations = 210_000;

    private readonly PasswordHasher<object> hasher = new(Options.Create(new PasswordHasherOptions
    {
        CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
        IterationCount = Iterations,
    }));

    private readonly Lazy<string> dummy;

    public PasswordHashing()
    {
        dummy = new Lazy<string>(() => Hash("a dummy password no account has"));
    }

    /// <summary>The hash of a password <see cref="PasswordPolicy.Check"/> accepted (so it is well formed).</summary>
    public string Hash(string password) =>
        hasher.HashPassword(this, PasswordPolicy.TryNormalise(password, out var normalised)
            ? normalised
            : throw new ArgumentException("The password is not well-formed text; check it with PasswordPolicy.Check first.", nameof(password)));

    public PasswordCheck Verify(string? hash, string password)
    {
        // No hash (unknown account), or a password that is not text (no account has one: none could be set): verify
        // against a dummy so the answer takes the same time, and answer wrong.
        var wellFormed = PasswordPolicy.TryNormalise(password, out var normalised);
        var result = hasher.VerifyHashedPassword(this, wellFormed ? hash ?? dummy.Value : dummy.Value, normalised ?? "not text");
        return hash is null || !wellFormed
            ? PasswordCheck.Wrong
            : result switch
            {
                PasswordVerificationResult.Success => PasswordCheck.Right,
                PasswordVerificationResult.SuccessRehashNeeded => PasswordCheck.RightNeedsRehash,
                _ => PasswordCheck.Wrong,
            };
    }
}

public enum PasswordCheck
{
    Wrong,
    Right,
    RightNeedsRehash,
}

public static class PasswordRules
{
    /// <summary>The property must pass <see cref="PasswordPolicy.Check"/>; its message names what is wrong.</summary>
    public static IRuleBuilderOptionsConditions<T, string?> AcceptablePassword<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Custom((password, context) =>
        {
            if (PasswordPolicy.Check(password) is { } message)
            {
                context.AddFailure(message);
            }
        });
}
