using System.Text.Json.Serialization;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Booking.PortalAuth.Features.Sessions;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.Passwords;

public sealed record ResetPassword(string? Token, string? NewPassword) : ICommand<PasswordSet>;

/// <summary>
/// A password set by a reset or a change: the device cookie to leave in the browser that set it, as a sign-in leaves
/// it (<see cref="TrustedDevices"/>). Every device cookie made under the old password no longer counts.
/// <paramref name="RemovedMobileEnding"/>: a reset that claimed the account (<see cref="AccountClaim"/>) took this
/// mobile (its last three digits) off phone sign-in; the page tells the person so. Null otherwise.
/// </summary>
public sealed record PasswordSet(string DeviceToken, string? RemovedMobileEnding = null);

/// <summary>
/// A reset link used on an account whose email had never been proven (<c>Client.EmailConfirmedAt</c> null) is a claim
/// of the account by the address's owner (decision 262, the usual answer to pre-registration hijacking): whoever held
/// it before, having typed the address without its mail, may have attached a way back in. Everything they could have
/// attached goes: the mobile's verification when a code made it (a number staff put on file keeps theirs), open phone
/// codes for that number and the client's own mobile and email-change codes, pending email-change links (made before
/// the proof: <see cref="Me.EmailChangeLink.StillFor"/>), and, as every reset does, every session and every device
/// cookie made under the old password. Once proven, a later reset changes none of this.
/// <para>
/// Not on every account (decision 301): an unproven email is no key to an account someone already has a proven way
/// into and that has no password (<see cref="Refused"/>): a phone client's or a staff-added client's, whose mobile
/// signs in where the business offers phone sign-in. There the address was typed by the mobile's owner or by staff,
/// never shown to be its mailbox's, and the mailbox's holder (a typo, someone else's address) would otherwise set a
/// password, see and cancel the client's appointments and take the mobile off sign-in. No link is sent for such an
/// account and one sent before is dead; the client proves the address first (Your details' link to the email on
/// file), then forgot-password works. An account with a password (email registration: whoever chose that password
/// also typed the address) is still claimed, as decision 262 says.
/// </para>
/// </summary>
internal static class AccountClaim
{
    /// <summary>
    /// Whether a reset link may not set this account's password: its email was never proven, it has no password, and
    /// its mobile is a way in (proven by a code or put on file by staff, and the business offers phone sign-in).
    /// </summary>
    public static bool Refused(Domain.Client client, bool phoneSignIn) =>
        phoneSignIn && client is { EmailConfirmedAt: null, PasswordHash: null, Mobile: not null, MobileVerified: true };

    /// <summary>
    /// Applies the claim to the tracked, locked <paramref name="client"/>; the mobile ending it took off sign-in, if
    /// any. A link on an account <see cref="Refused"/> is answered as a dead link and changes nothing.
    /// </summary>
    public static async Task<string?> ClaimAsync(PortalAuthDbContext db, Domain.Client client, bool phoneSignIn, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (client.EmailConfirmedAt is not null)
        {
            return null;
        }

        if (Refused(client, phoneSignIn))
        {
            throw PasswordResets.LinkDead();
        }

        client.EmailConfirmedAt = now;
        var number = client.Mobile ?? "";
        await db.Attempts.Where(a => a.VerifiedAt == null && (a.ClientId == client.Id || (a.ClientId == null && a.Mobile == number)))
            .ExecuteDeleteAsync(cancellationToken);
        if (client is { Mobile: { } mobile, MobileVerified: true, MobileVouchedByStaff: false })
        {
            client.MobileVerified = false; // the number stays as an unproven claim: its proven owner can take it, or prove it here again
            return Contracts.ClientMobileChanged.Ending(mobile);
        }

        return null;
    }
}

public sealed class ResetPasswordValidator : AbstractValidator<ResetPassword>
{
    public ResetPasswordValidator()
    {
        RuleFor(x => x.Token).NotEmpty().WithMessage("The reset link is incomplete.").MaximumLength(200).WithMessage("Use at most 200 characters.");
        RuleFor(x => x.NewPassword).AcceptablePassword();
    }
}

/// <summary>
/// A link works once, within its lifetime; using it ends every session the client had and every device cookie made
/// under the old password, and gives the browser that used it a device cookie of its own (the person has proven the
/// address's mail; the new password is theirs).
/// </summary>
public sealed class ResetPasswordHandler(
    PortalAuthDbContext db, ITenantContext tenant, IPortalRules portal, PasswordHashing passwords, PasswordThrottle throttle, TrustedDevices devices, TimeProvider clock)
    : ICommandHandler<ResetPassword, PasswordSet>
{
    /// <summary>The same link sent twice at once: the second save finds the link used (its token), looks again and is refused.</summary>
    public async ValueTask<PasswordSet> Handle(ResetPassword command, CancellationToken cancellationToken) =>
        await db.RetryOnConcurrentChangeAsync(() => ResetAsync(command, cancellationToken));

    private async Task<PasswordSet> ResetAsync(ResetPassword command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var reset = await PasswordResets.UsableLinkAsync(db.ResetTokens, command.Token!, now, cancellationToken);

        // The link sets the password only while it was sent to the client's sign-in email now, read under the lock on
        // the client's row that a staff change of the email also takes: a link issued while the change was being made
        // (the change's cancelling could not see it) is refused once the change commits.
        await PasswordResets.LockPersonAsync(db, "portalauth.clients", reset.ClientId, cancellationToken);
        var client = await db.Clients.FirstOrDefaultAsync(c => c.Id == reset.ClientId, cancellationToken);
        if (client is null || !reset.SentToCurrent(client.Email))
        {
            throw PasswordResets.LinkDead();
        }

        var removedMobile = await AccountClaim.ClaimAsync(db, client, (await portal.GetAsync(cancellationToken)).PhoneSignIn, now, cancellationToken);
        client.PasswordHash = passwords.Hash(command.NewPassword!);
        await PasswordResets.UseAsync(db.ResetTokens, reset, t => t.ClientId == client.Id, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        // Every session ends with the new password in one transaction: ended after the commit, a cancelled request or a
        // failed delete left the claimed account's old holder signed in (session 32's diff review).
        await PortalSessions.EndAllInTransactionAsync(db, tenant.TenantId!.Value, client.Id, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await throttle.ClearAsync(db, client.Email!, cancellationToken); // SentToCurrent: the link went to the sign-in email it has
        return new PasswordSet(devices.Issue(DeviceArea.Portal, tenant.TenantId!.Value, client.Email!, client.PasswordHash), removedMobile);
    }
}

/// <summary>Whether a reset link can still be used (not used, not expired): the page shows the form only then.</summary>
public sealed record CheckResetLink(string? Token) : IQuery<bool>;

public sealed class CheckResetLinkHandler(PortalAuthDbContext db, TimeProvider clock) : IQueryHandler<CheckResetLink, bool>
{
    public async ValueTask<bool> Handle(CheckResetLink query, CancellationToken cancellationToken) =>
        await PasswordResets.IsUsableAsync(db.ResetTokens, query.Token, clock.GetUtcNow(),
            async reset => await db.Clients.AsNoTracking().Where(c => c.Id == reset.ClientId).Select(c => c.Email).FirstOrDefaultAsync(cancellationToken),
            cancellationToken);
}

public sealed record ChangePassword(string? CurrentPassword, string? NewPassword) : ICommand<PasswordSet>
{
    [JsonIgnore]
    public Guid ClientId { get; init; }

    /// <summary>The session the change is made from; it stays, the others end.</summary>
    [JsonIgnore]
    public string? CurrentSession { get; init; }
}

public sealed class ChangePasswordValidator : AbstractValidator<ChangePassword>
{
    public ChangePasswordValidator()
    {
        RuleFor(x => x.CurrentPassword).NotEmpty().WithMessage("Enter your current password.").MaximumLength(1024).WithMessage("Use at most 1024 characters.");
        RuleFor(x => x.NewPassword).AcceptablePassword();
    }
}

/// <summary>
/// Needs the current password, a wrong one counted for the session it is tried from (<see cref="PasswordThrottle.VerifyCurrentAsync"/>:
/// the address's lockout does not refuse the client's own session); a change clears every count, ends the client's
/// other sessions and the device cookies made under the old password, and with the sessions every pending email-change
/// and reset link of the client (<see cref="PortalSessions.EndAllInTransactionAsync"/>, decision 328), and gives this
/// browser a new device cookie.
/// </summary>
public sealed class ChangePasswordHandler(
    PortalAuthDbContext db, ITenantContext tenant, PasswordHashing passwords, PasswordThrottle throttle, TrustedDevices devices, TimeProvider clock)
    : ICommandHandler<ChangePassword, PasswordSet>
{
    public async ValueTask<PasswordSet> Handle(ChangePassword command, CancellationToken cancellationToken)
    {
        var client = await db.Clients.FirstOrDefaultAsync(c => c.Id == command.ClientId, cancellationToken)
            ?? throw ProblemException.Unauthenticated();
        if (client.PasswordHash is null)
        {
            throw ProblemException.Invalid("currentPassword", "You sign in with a code sent to your mobile, so there is no password to change.");
        }

        var login = client.Email ?? client.Id.ToString();
        await throttle.VerifyCurrentAsync(db, passwords, login, client.PasswordHash, command.CurrentPassword!, command.CurrentSession, cancellationToken);

        // The other sessions end with the change, in its transaction (decision 271); begun after the check, so a wrong
        // current password's count is kept.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        client.PasswordHash = passwords.Hash(command.NewPassword!);
        await Me.OwnWrites.SaveAsync(db, cancellationToken); // merged away meanwhile: 401, not a 500 (decision 300)
        await PortalSessions.EndAllInTransactionAsync(db, tenant.TenantId!.Value, client.Id, clock.GetUtcNow(), cancellationToken, keep: command.CurrentSession);
        await transaction.CommitAsync(cancellationToken);
        await throttle.ClearAsync(db, login, cancellationToken); // as a sign-in does: the address owner has proven the password
        return new PasswordSet(devices.Issue(DeviceArea.Portal, tenant.TenantId!.Value, login, client.PasswordHash));
    }
}
