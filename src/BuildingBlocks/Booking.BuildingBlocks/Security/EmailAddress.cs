using System.Net.Mail;

namespace Booking.BuildingBlocks.Security;

public static class EmailAddress
{
    /// <summary>An address as typed, without the spaces around it (pasted addresses often carry them).</summary>
    public static string? Tidy(string? value) => value?.Trim();

    /// <summary>
    /// A plain address (no display name), at most 254 characters, with a dot in its domain. Not a domain literal
    /// ("a@[127.0.0.1]", "a@[IPv6:::1]"): the mail relay would deliver to that IP, an internal one included. Not an
    /// encoded word in the local part ("=?utf-8?q?…?=@x.example"): a header's encoding, which some mail software decodes
    /// into another address (decision 271). Both are refused with the field's ordinary words.
    /// </summary>
    public static bool IsValid(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 254 || value.Trim() != value)
        {
            return false;
        }

        return MailAddress.TryCreate(value, out var parsed)
            && parsed.Address == value
            && parsed.Host.Contains('.', StringComparison.Ordinal)
            && !parsed.Host.EndsWith('.')
            && !parsed.Host.Contains('[', StringComparison.Ordinal) && !parsed.Host.Contains(']', StringComparison.Ordinal)
            && !(parsed.User.Contains("=?", StringComparison.Ordinal) && parsed.User.Contains("?=", StringComparison.Ordinal));
    }
}
