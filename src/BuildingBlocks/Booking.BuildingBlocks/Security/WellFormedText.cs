using System.Diagnostics.CodeAnalysis;
using System.Text;
using FluentValidation;

namespace Booking.BuildingBlocks.Security;

/// <summary>
/// Text that is Unicode at all: no lone surrogate (half of a pair) and no noncharacter (U+FFFE, U+FFFF, U+FDD0–U+FDEF
/// and the last two of every plane). <see cref="string.Normalize(NormalizationForm)"/> and
/// <see cref="string.IsNormalized(NormalizationForm)"/> throw on a lone surrogate or U+FFFE, so a password or a search
/// holding one answered 500 (security review s33). Every normalisation of what someone typed goes through
/// <see cref="TryNormalize"/>, which checks first instead of catching.
/// </summary>
public static class WellFormedText
{
    /// <summary>What a field is told when it holds such a character (no keyboard types one; a crafted request does).</summary>
    public const string Message = "Remove the characters that are not text (such as U+FFFE or half of a surrogate pair).";

    /// <summary>True for null and for text without lone surrogates or noncharacters.</summary>
    public static bool IsWellFormed([NotNullWhen(false)] string? value)
    {
        if (value is null)
        {
            return true;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                if (IsNoncharacter(char.ConvertToUtf32(c, value[i + 1])))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c) || IsNoncharacter(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The text in the normalisation form, or false (and null) when it is not <see cref="IsWellFormed">well formed</see>.</summary>
    public static bool TryNormalize(string value, NormalizationForm form, [NotNullWhen(true)] out string? normalized)
    {
        normalized = IsWellFormed(value) ? value.Normalize(form) : null;
        return normalized is not null;
    }

    /// <summary>The property holds no lone surrogate and no noncharacter (<see cref="Message"/>).</summary>
    public static IRuleBuilderOptions<T, string?> WellFormed<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(IsWellFormed).WithMessage(Message);

    private static bool IsNoncharacter(int codePoint) =>
        codePoint is >= 0xFDD0 and <= 0xFDEF || (codePoint & 0xFFFE) == 0xFFFE;
}
