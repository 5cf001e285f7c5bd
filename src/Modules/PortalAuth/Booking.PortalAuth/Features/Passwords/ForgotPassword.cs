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
            () => new PasswordResetAsked(Guid.CreateVersion7(), tenantId, email), cancellationToken);
        return Unit.Value;
    }
}

/// <summary>A forgot-password request within the limits, to be answered in the background. PortalAuth's own; no other module reads it.</summary>
public sealed record PasswordResetAsked(Guid EventId, Guid TenantId, string Email) : IIntegrationEvent;

/// <summary>
/// Off the request: looks the address up and, if a client has it, stores a reset token (its hash) and asks
/// Notifications to email the link (<see cref="PasswordResetRequested"/>), in one transaction with the processed mark.
/// </summary>
public sealed class PasswordResetAskedHandler(PortalAuthDbContext db, ITenantContext tenant, PasswordResetLimits limits, TimeProvider clock, PublicOrigin origin,
    IDataProtectionProvider protection)
    : INotificationHandler<PasswordResetAsked>
{
    public async ValueTask Handle(PasswordResetAsked evt, CancellationToken cancellationToken)
    {
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(PasswordResetAskedHandler), cancellationToken))
        {
            return;
        }

        var client = await db.Clients.AsNoTracking().FirstOrDefaultAsync(c => c.Email == evt.Email, cancellationToken);
        if (client is not null)
        {
            var (reset, token) = PasswordResets.NewLink<PasswordResetToken>(limits, clock);
            reset.ClientId = client.Id;
            db.ResetTokens.Add(reset);
            var business = tenant.Current!;
            // The configured origin, never a request's Host header: that would let anyone send a client's token elsewhere.
            var url = $"{origin.Value}/ol/reset-password?name={Uri.EscapeDataString(business.Slug)}&token={token}";
            db.Publish(new PasswordResetRequested(Guid.CreateVersion7(), business.Id, client.Id, evt.Email, client.FirstName,
                ProtectedResetLinks.Protect(protection, url), reset.ExpiresAt)); // encrypted: the outbox and the job keep no working link
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
