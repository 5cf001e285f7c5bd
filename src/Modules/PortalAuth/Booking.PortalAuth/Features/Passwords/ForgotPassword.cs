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
public sealed class ForgotPasswordHandler(PortalAuthDbContext db, ITenantContext tenant, IPortalRules portal, PortalAuthOptions options, TimeProvider clock)
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
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Counts and insert under locks (address, then IP: always that order), so requests at the same moment count each other.
        await db.Database.LockForTransactionAsync($"reset-email:{tenantId}:{email}", cancellationToken);
        await db.Database.LockForTransactionAsync($"reset-ip:{tenantId}:{command.Ip}", cancellationToken);
        var now = clock.GetUtcNow();
        var hourAgo = now.AddHours(-1);
        if (await db.ResetRequests.CountAsync(r => r.Ip == command.Ip && r.At > hourAgo, cancellationToken) >= options.ResetRequestsPerIpPerHour)
        {
            throw ProblemException.RateLimited(3600, "Too many password resets were asked for. Wait a little before asking again.");
        }

        if (await db.ResetRequests.CountAsync(r => r.Email == email && r.At > hourAgo, cancellationToken) >= options.ResetEmailsPerAddressPerHour)
        {
            return Unit.Value; // enough links went to this address this hour; the answer must not say so
        }

        db.ResetRequests.Add(new PasswordResetRequest { Id = Guid.CreateVersion7(), Email = email, Ip = command.Ip, At = now });
        db.Publish(new PasswordResetAsked(Guid.CreateVersion7(), tenantId, email));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Unit.Value;
    }
}

/// <summary>A forgot-password request within the limits, to be answered in the background. PortalAuth's own; no other module reads it.</summary>
public sealed record PasswordResetAsked(Guid EventId, Guid TenantId, string Email) : IIntegrationEvent;

/// <summary>
/// Off the request: looks the address up and, if a client has it, stores a reset token (its hash) and asks
/// Notifications to email the link (<see cref="PasswordResetRequested"/>), in one transaction with the processed mark.
/// </summary>
public sealed class PasswordResetAskedHandler(PortalAuthDbContext db, ITenantContext tenant, PortalAuthOptions options, TimeProvider clock, PublicOrigin origin)
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
            var token = ResetTokens.NewToken();
            var now = clock.GetUtcNow();
            var reset = new PasswordResetToken
            {
                Id = Guid.CreateVersion7(),
                ClientId = client.Id,
                TokenHash = ResetTokens.Hash(token),
                CreatedAt = now,
                ExpiresAt = now + options.ResetLinkLifetime,
            };
            db.ResetTokens.Add(reset);
            var business = tenant.Current!;
            // The configured origin, never a request's Host header: that would let anyone send a client's token elsewhere.
            var url = $"{origin.Value}/ol/reset-password?name={Uri.EscapeDataString(business.Slug)}&token={token}";
            db.Publish(new PasswordResetRequested(Guid.CreateVersion7(), business.Id, client.Id, evt.Email, client.FirstName, url, reset.ExpiresAt));
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
