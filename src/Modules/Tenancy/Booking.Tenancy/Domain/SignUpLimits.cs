namespace Booking.Tenancy.Domain;

/// <summary>The business sign-up limit ("Tenancy" configuration section). Tests may raise it for their shared apps.</summary>
public sealed class SignUpLimits
{
    public const string Section = "Tenancy";

    /// <summary>
    /// Business sign-ups per client address (an IPv6 client as its /64) per clock hour, API and staff sign-up page
    /// together; more → rate-limited, counted before the owner's password is hashed.
    /// </summary>
    public int SignUpsPerAddressPerHour { get; set; } = 5;
}
