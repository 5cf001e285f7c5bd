using System.Net.Mail;

namespace Booking.BuildingBlocks.Security;

public static class EmailAddress
{
    /// <summary>An address as typed, without the spaces around it (pasted addresses often carry them).</summary>
    public static string? Tidy(string? value) => value?.Trim();

    /// <summary>A plain address (no display name), at most 254 characters, with a dot in its domain.</summary>
    public static bool IsValid(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 254 || value.Trim() != value)
        {
            return false;
        }

        return MailAddress.TryCreate(value, out var parsed)
            && parsed.Address == value
            && parsed.Host.Contains('.', StringComparison.Ordinal)
            && !parsed.Host.EndsWith('.');
    }
}
