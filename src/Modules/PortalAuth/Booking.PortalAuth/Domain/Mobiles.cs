using PhoneNumbers;

namespace Booking.PortalAuth.Domain;

/// <summary>Mobile numbers as typed by a client, read with the business's country as the default region.</summary>
public static class Mobiles
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>E.164, or null when the text is not a valid number that can receive texts.</summary>
    public static string? ToE164(string? input, string defaultRegion)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 40)
        {
            return null;
        }

        try
        {
            var number = Util.Parse(input, defaultRegion.ToUpperInvariant());
            if (!Util.IsValidNumber(number))
            {
                return null;
            }

            var type = Util.GetNumberType(number);
            return type is PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE
                ? Util.Format(number, PhoneNumberFormat.E164)
                : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>
    /// The start of an E.164 number that a partly typed number, as the business's country writes it, begins with:
    /// "0491 570" in Australia → "+61491570" (the trunk prefix, "0" there and "1" in North America, from
    /// libphonenumber's metadata for the region, dropped; none where the country has none, as in Italy). "+61 491" →
    /// "+61491". Null for text that is not only digits, spaces and the usual separators, or for fewer than
    /// <paramref name="minimumDigits"/> digits as typed (the trunk prefix counts: "049" is three digits, as the
    /// client search's rule says).
    /// </summary>
    public static string? E164Start(string? input, string region, int minimumDigits = 3)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 40 || !input.All(c => char.IsAsciiDigit(c) || c is ' ' or '-' or '.' or '(' or ')' or '+'))
        {
            return null;
        }

        var trimmed = input.Trim();
        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
        if (trimmed.StartsWith('+'))
        {
            return digits.Length >= minimumDigits ? "+" + digits : null;
        }

        var metadata = Util.GetMetadataForRegion(region.ToUpperInvariant());
        if (metadata is null)
        {
            return null;
        }

        if (digits.Length < minimumDigits)
        {
            return null;
        }

        var prefix = metadata.NationalPrefix;
        if (!string.IsNullOrEmpty(prefix) && digits.StartsWith(prefix, StringComparison.Ordinal))
        {
            digits = digits[prefix.Length..];
        }

        return digits.Length > 0 ? "+" + metadata.CountryCode.ToString(System.Globalization.CultureInfo.InvariantCulture) + digits : null;
    }
}
