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
    /// E.164 of a valid number of any type (a landline, a mobile, a VoIP or work number), or null: a client's other phone
    /// (decision 292), only ever called, never texted or signed in with.
    /// </summary>
    public static string? AnyToE164(string? input, string defaultRegion)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 40)
        {
            return null;
        }

        try
        {
            // Nothing read is dropped (decision 300): E.164 has no extension, and letters ("1300 FLOWER") would be turned
            // into the keypad's digits unseen, so either is refused (OtherPhoneRefusal says which) rather than stored short.
            if (input.Any(char.IsLetter))
            {
                return null;
            }

            var number = Util.Parse(input, defaultRegion.ToUpperInvariant());
            return Util.IsValidNumber(number) && !number.HasExtension ? Util.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>Why <see cref="AnyToE164"/> refused <paramref name="input"/>: an extension, letters, or not a valid number (<paramref name="notValid"/>).</summary>
    public static string OtherPhoneRefusal(string? input, string defaultRegion, string notValid)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 40)
        {
            return notValid;
        }

        try
        {
            if (Util.Parse(input, defaultRegion.ToUpperInvariant()).HasExtension)
            {
                return ExtensionRefused;
            }
        }
        catch (NumberParseException)
        {
            // not a number at all: below
        }

        return input.Any(char.IsLetter) ? LettersRefused : notValid;
    }

    /// <summary>An extension is not kept (E.164 has none), so it is refused rather than dropped (decision 300).</summary>
    public const string ExtensionRefused = "Give the number without an extension (note the extension elsewhere; it can't be stored with the number).";

    /// <summary>Letters are not turned into digits unseen (decision 300).</summary>
    public const string LettersRefused = "Give the number in digits: letters (as in 1300 FLOWER) aren't read as a number.";

    /// <summary>The words for a number that is neither a mobile nor a landline (not a number, too short, a premium line…).</summary>
    public const string NotValid = "Enter a valid mobile number.";

    /// <summary>The words for an empty mobile box where a code is to be texted: nothing was typed, so nothing is invalid.</summary>
    public const string Missing = "Enter your mobile number.";

    /// <summary>
    /// The words for a landline where no one books with the number (staff's client details, registration's optional
    /// mobile): what is true about it, not "enter a valid mobile number" (decision 281).
    /// </summary>
    public const string LandlineMessage = "That looks like a landline. Texts go only to mobiles, so enter a mobile number.";

    /// <summary>
    /// True for a valid number of a fixed line only (libphonenumber's <c>FIXED_LINE</c>, UK "01422 555 124"); a number the
    /// metadata cannot tell from a mobile (<c>FIXED_LINE_OR_MOBILE</c>, as every US number) is a mobile to
    /// <see cref="ToE164"/> and is no landline here.
    /// </summary>
    public static bool IsLandline(string? input, string defaultRegion)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 40)
        {
            return false;
        }

        try
        {
            var number = Util.Parse(input, defaultRegion.ToUpperInvariant());
            return Util.IsValidNumber(number) && Util.GetNumberType(number) == PhoneNumberType.FIXED_LINE;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }

    /// <summary>What a number <see cref="ToE164"/> refused is, in words: a landline (<see cref="LandlineMessage"/>), a mobile without
    /// its area code (<see cref="NotValidFor"/>), or not valid.</summary>
    public static string Refusal(string? input, string defaultRegion) => IsLandline(input, defaultRegion) ? LandlineMessage : NotValidFor(input, defaultRegion);

    /// <summary>
    /// The words for a number that is no mobile and no landline: "Include the area code, as in (11) 96123-4567." when it
    /// could be a mobile dialled locally, without the area code its country's mobiles need ("98765-4321" in Brazil,
    /// "555-1234" in the US), else <see cref="NotValid"/>. Asked of the mobile type only: the general check calls the
    /// Brazilian number possible (it has a landline's length), so it cannot tell.
    /// </summary>
    public static string NotValidFor(string? input, string defaultRegion)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 40 || input.Any(char.IsLetter))
        {
            return NotValid;
        }

        try
        {
            var region = defaultRegion.ToUpperInvariant();
            var number = Util.Parse(input, region);
            if (Util.IsPossibleNumberForTypeWithReason(number, PhoneNumberType.MOBILE) != PhoneNumberUtil.ValidationResult.IS_POSSIBLE_LOCAL_ONLY)
            {
                return NotValid;
            }

            var example = Util.GetExampleNumberForType(region, PhoneNumberType.MOBILE);
            return example is null
                ? "Include the area code."
                : $"Include the area code, as in {Util.Format(example, PhoneNumberFormat.NATIONAL)}.";
        }
        catch (NumberParseException)
        {
            return NotValid;
        }
    }

    /// <summary>
    /// A landline given to be sent a code (phone sign-in, proving a mobile): codes go by text, so the business's own phone
    /// or email is the way to book (<paramref name="reach"/>: " on 01422 555 100 or at desk@…", or "" when it gives none).
    /// </summary>
    public static string LandlineForCode(string business, string reach) =>
        $"That looks like a landline. Codes are sent by text, so enter a mobile number — or contact {business}{reach} to book.";

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
