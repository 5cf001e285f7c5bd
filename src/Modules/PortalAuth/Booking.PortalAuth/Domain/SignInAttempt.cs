using Booking.BuildingBlocks.Data;

namespace Booking.PortalAuth.Domain;

/// <summary>
/// One phone code attempt: the latest code (only its keyed hash), when it stops being valid, and the wrong-code
/// count, which a resend does not reset. Either a phone sign-in (<see cref="ClientId"/> null) or a signed-in client
/// proving a mobile from the portal (<see cref="ClientId"/> theirs); each kind is refused where the other is used.
/// </summary>
public sealed class SignInAttempt : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; }

    /// <summary>E.164.</summary>
    public string Mobile { get; set; } = "";

    /// <summary>
    /// Null for a phone sign-in; the signed-in client who is proving <see cref="Mobile"/> from the portal otherwise.
    /// Such an attempt works only for that client, and only on the portal's "verify your mobile" routes.
    /// </summary>
    public Guid? ClientId { get; set; }

    /// <summary>What the code is for; only routes for this purpose find the attempt (<see cref="CodePurposes"/>).</summary>
    public CodePurpose Purpose { get; set; } = CodePurpose.SignIn;

    public byte[] CodeHash { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset CodeSentAt { get; set; }

    public DateTimeOffset CodeExpiresAt { get; set; }

    public int WrongCodes { get; set; }

    /// <summary>Set when the right code was given: the attempt can never verify again.</summary>
    public DateTimeOffset? VerifiedAt { get; set; }

    /// <summary>Set when a verified unknown phone became a client (the new-client flow consumed it).</summary>
    public DateTimeOffset? ConsumedAt { get; set; }
}

/// <summary>
/// One sign-in code handed to the SMS adapter, counted for the per-phone, per-IP and per-tenant caps.
/// </summary>
[CrossTenant("The per-IP cap against SMS pumping counts sends across businesses; inserts are still tenant-stamped.")]
public sealed class CodeSend : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; }

    public string Mobile { get; set; } = "";

    public string Ip { get; set; } = "";

    public DateTimeOffset At { get; set; }
}

/// <summary>
/// The codes sent in one clock hour by the whole platform: the backstop against pumping spread over many businesses,
/// numbers and addresses (<c>PortalAuth:PlatformCodesPerHour</c>). One row per hour, raised by a single upsert that
/// refuses past the budget, so concurrent sends on any instance cannot overshoot it.
/// </summary>
[CrossTenant("One budget for every business together: no tenant can see, reset or spend around it.")]
public sealed class CodeBudgetHour
{
    public DateTimeOffset Hour { get; set; }

    public int Sent { get; set; }
}

/// <summary>A text the development SMS adapter "sent"; shown on /dev/sms across businesses.</summary>
[CrossTenant("The Development-only /dev/sms page lists every business's texts; never used in Production.")]
public sealed class DevSms : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; }

    public string Tenant { get; set; } = "";

    public string To { get; set; } = "";

    public string Body { get; set; } = "";

    public DateTimeOffset SentAt { get; set; }
}
