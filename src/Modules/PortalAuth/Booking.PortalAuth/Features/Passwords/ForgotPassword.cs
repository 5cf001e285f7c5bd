using System.Text.Json.Serialization;
using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.Passwords;

public sealed record ForgotPassword(string? Email) : ICommand<Unit>
{
    /// <summary>Trimmed before the validator checks it and before it is looked up.</summary>
    public string? Email { get; init; } = EmailAddress.Tidy(Email);

    [JsonIgnore]
    public string Ip { get; init; } = "unknown";

    /// <summary>
    /// The portal page the client was on the way to (the forgot-password page's <c>returnUrl</c>, already accepted by
    /// the Host's <c>PortalReturnUrl</c> rule: a local <c>/ol/</c> page of this business), carried in the reset link so
    /// that signing in after the reset goes back there. Not part of the API's body; the reset page checks it again.
    /// </summary>
    [JsonIgnore]
    public string? ReturnUrl { get; init; }
}

public sealed class ForgotPasswordValidator : AbstractValidator<ForgotPassword>
{
    public ForgotPasswordValidator() =>
        RuleFor(x => x.Email).Must(EmailAddress.IsValid).WithMessage("Enter a valid email address.");
}

/// <summary>
/// Always the same answer, after the same work: the request never looks the address up. It counts and records the
/// request (per address: over the limit it sends nothing and still answers 202; per IP: rate-limited) and hands it to
/// the background with <see cref="PasswordResetAsked"/> in the same transaction, so a registered address and an
/// unknown one cost the request the same statements, and its timing tells nothing.
/// </summary>
public sealed class ForgotPasswordHandler(PortalAuthDbContext db, ITenantContext tenant, IPortalRules portal, PasswordResetLimits limits, TimeProvider clock)
    : ICommandHandler<ForgotPassword, Unit>
{
    public async ValueTask<Unit> Handle(ForgotPassword command, CancellationToken cancellationToken)
    {
        if (!(await portal.GetAsync(cancellationToken)).EmailSignIn)
        {
            throw PortalProblems.MethodOff("email and password");
        }

        var email = command.Email!.ToLowerInvariant();
        var tenantId = tenant.TenantId!.Value;
        await PasswordResets.HandOnAsync<PasswordResetRequest>(db, tenantId, "reset", email, command.Ip, limits, clock,
            () => new PasswordResetAsked(Guid.CreateVersion7(), tenantId, email, ResetLinkReturn.Keep(command.ReturnUrl)), cancellationToken);
        return Unit.Value;
    }
}

/// <summary>
/// A forgot-password request within the limits, to be answered in the background. PortalAuth's own; no other module
/// reads it. <paramref name="ReturnUrl"/>: where signing in after the reset goes (null in events written before it).
/// </summary>
public sealed record PasswordResetAsked(Guid EventId, Guid TenantId, string Email, string? ReturnUrl = null) : IIntegrationEvent;

/// <summary>
/// The return address a reset link carries: only a local portal path (<c>/ol/…</c>, no scheme, host or backslash), the
/// backstop behind the Host's full rule, which the reset page applies again before following it.
/// </summary>
public static class ResetLinkReturn
{
    public static string? Keep(string? returnUrl) =>
        returnUrl is { Length: <= 2000 } r && r.StartsWith("/ol/", StringComparison.Ordinal)
            && !r.Contains("//", StringComparison.Ordinal) && !r.Contains('\\', StringComparison.Ordinal) && !r.Any(char.IsControl)
            ? r
            : null;

    /// <summary>The link's query part for it: <c>&amp;returnUrl=…</c>, before the token (which ends the link), or nothing.</summary>
    public static string Query(string? returnUrl) =>
        Keep(returnUrl) is { } r ? "&returnUrl=" + Uri.EscapeDataString(r) : "";
}

/// <summary>
/// Off the request: looks the address up and, if a client has it (and may set a password by it, not
/// <see cref="AccountClaim.Refused"/>), stores a reset token (its hash) and asks
/// Notifications to email the link (<see cref="PasswordResetRequested"/>), in one transaction with the processed mark.
/// </summary>
public sealed class PasswordResetAskedHandler(PortalAuthDbContext db, ITenantContext tenant, IPortalRules portal, PasswordResetLimits limits, TimeProvider clock,
    PublicOrigin origin, IDataProtectionProvider protection)
    : INotificationHandler<PasswordResetAsked>
{
    public async ValueTask Handle(PasswordResetAsked evt, CancellationToken cancellationToken)
    {
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(PasswordResetAskedHandler), cancellationToken))
        {
            return;
        }

        var client = await db.Clients.AsNoTracking().FirstOrDefaultAsync(c => c.Email == evt.Email, cancellationToken);
        // An account whose unproven email is no key to it (decision 301: a mobile signs in, no password) is sent nothing,
        // as an unknown address is: the link would be refused, and the mailbox's holder need not learn of the account.
        if (client is not null && !AccountClaim.Refused(client, (await portal.GetAsync(cancellationToken)).PhoneSignIn))
        {
            var (reset, token) = PasswordResets.NewLink<PasswordResetToken>(limits, clock);
            reset.ClientId = client.Id;
            reset.SentTo = evt.Email; // redeeming it checks this is still the client's sign-in email
            db.ResetTokens.Add(reset);
            var business = tenant.Current!;
            // The configured origin, never a request's Host header: that would let anyone send a client's token elsewhere.
            // The return address rides in the link, so it is encrypted with it (below); the token stays last.
            var url = $"{origin.Value}/ol/reset-password?name={Uri.EscapeDataString(business.Slug)}{ResetLinkReturn.Query(evt.ReturnUrl)}&token={token}";
            db.Publish(new PasswordResetRequested(Guid.CreateVersion7(), business.Id, client.Id, evt.Email, client.FirstName,
                ProtectedResetLinks.Protect(protection, url), reset.ExpiresAt, HasPassword: client.PasswordHash is not null)); // encrypted: the outbox and the job keep no working link
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
