namespace Booking.PortalAuth.Domain;

/// <summary>
/// The sign-in limits of API.md ("PortalAuth" configuration section). Tests may lower waits, never remove limits. The
/// reset-link lifetime and forgot-password limits of the same section are BuildingBlocks' <c>PasswordResetLimits</c>
/// (shared with staff).
/// </summary>
public sealed class PortalAuthOptions
{
    public const string Section = "PortalAuth";

    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a code works, in the words the texts ("It expires in 10 minutes.") and the code pages ("It works for 10
    /// minutes.") use alike, from <see cref="CodeLifetime"/>: whole minutes, "1 minute" at least.
    /// </summary>
    public string CodeLifetimeWords
    {
        get
        {
            var minutes = Math.Max(1, (int)CodeLifetime.TotalMinutes);
            return minutes == 1 ? "1 minute" : $"{minutes} minutes";
        }
    }

    /// <summary>How long an attempt may be resent and verified at all.</summary>
    public TimeSpan AttemptLifetime { get; set; } = TimeSpan.FromMinutes(30);

    public int MaxWrongCodes { get; set; } = 5;

    public int CodesPerPhonePerHour { get; set; } = 5;

    public TimeSpan ResendCooldown { get; set; } = TimeSpan.FromSeconds(30);

    public int CodesPerIpPerHour { get; set; } = 20;

    public int CodesPerTenantPerHour { get; set; } = 500;

    /// <summary>
    /// Codes to one mobile per hour across every business together (the cooldown holds across businesses too): a
    /// little above one business's cap, so a client of two businesses is not hindered, while signing up businesses to
    /// text one number many times gets nowhere.
    /// </summary>
    public int PlatformCodesPerPhonePerHour { get; set; } = 8;

    /// <summary>Codes the whole platform sends per clock hour: the backstop against pumping spread over many numbers and addresses.</summary>
    public int PlatformCodesPerHour { get; set; } = 10_000;

    /// <summary>Email registrations per client address (an IPv6 client as its /64) per clock hour in one business; more → rate-limited.</summary>
    public int RegistrationsPerIpPerHour { get; set; } = 10;

    /// <summary>Email registrations per client address per clock hour across every business together, which no business can reset.</summary>
    public int PlatformRegistrationsPerIpPerHour { get; set; } = 20;

    /// <summary>
    /// How long the link a client is emailed to prove a new email (Your details) works. Longer than a reset link's 30
    /// minutes: it only moves the account's email to the very address that received it, and the old address is told.
    /// </summary>
    public TimeSpan EmailChangeLinkLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Email-change links one client may ask for per clock hour; more → rate-limited.</summary>
    public int EmailChangesPerClientPerHour { get; set; } = 5;

    /// <summary>Email-change links to one address per clock hour, across every business (no inbox flooding); more → rate-limited.</summary>
    public int EmailChangesPerAddressPerHour { get; set; } = 3;

    /// <summary>
    /// Base64 HMAC key for sign-in codes; shared by every instance. Absent: a per-process key and a warning at start (the
    /// Host sets one in Development, kept in .data/keys/code-hash.key).
    /// </summary>
    public string? CodeHashKey { get; set; }
}
