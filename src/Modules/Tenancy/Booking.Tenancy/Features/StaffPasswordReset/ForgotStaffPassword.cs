using System.Text.Json.Serialization;
using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Contracts;
using Booking.Tenancy.Data;
using Booking.Tenancy.Domain;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Tenancy.Features.StaffPasswordReset;

/// <summary>A staff member who forgot their password asks for a link (staff sign-in's "Forgot your password?").</summary>
public sealed record ForgotStaffPassword(string? Email) : ICommand
{
    /// <summary>Trimmed before the validator checks it and before it is looked up.</summary>
    public string? Email { get; init; } = EmailAddress.Tidy(Email);

    [JsonIgnore]
    public string Ip { get; init; } = "unknown";
}

public sealed class ForgotStaffPasswordValidator : AbstractValidator<ForgotStaffPassword>
{
    public ForgotStaffPasswordValidator() =>
        RuleFor(x => x.Email).Must(EmailAddress.IsValid).WithMessage("Enter a valid email address.");
}

/// <summary>
/// The client portal's forgot-password (decision 100) for staff: always the same answer after the same work. The
/// request never looks the address up; it counts and records the request (per address: over the limit it sends
/// nothing and still answers 202; per IP: rate-limited) and hands it to the background with
/// <see cref="StaffPasswordResetAsked"/> in the same transaction.
/// </summary>
public sealed class ForgotStaffPasswordHandler(TenancyDbContext db, ITenantContext tenant, PasswordResetLimits limits, TimeProvider clock)
    : ICommandHandler<ForgotStaffPassword>
{
    public async ValueTask<Unit> Handle(ForgotStaffPassword command, CancellationToken cancellationToken)
    {
        var email = command.Email!.ToLowerInvariant();
        var tenantId = tenant.TenantId!.Value;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Counts and insert under locks (address, then IP: always that order), so requests at the same moment count each other.
        await db.Database.LockForTransactionAsync($"staff-reset-email:{tenantId}:{email}", cancellationToken);
        await db.Database.LockForTransactionAsync($"staff-reset-ip:{tenantId}:{command.Ip}", cancellationToken);
        var now = clock.GetUtcNow();
        var hourAgo = now.AddHours(-1);
        if (await db.StaffResetRequests.CountAsync(r => r.Ip == command.Ip && r.At > hourAgo, cancellationToken) >= limits.ResetRequestsPerIpPerHour)
        {
            throw ProblemException.RateLimited(3600, "Too many password resets were asked for. Wait a little before asking again.");
        }

        if (await db.StaffResetRequests.CountAsync(r => r.Email == email && r.At > hourAgo, cancellationToken) >= limits.ResetEmailsPerAddressPerHour)
        {
            return Unit.Value; // enough links went to this address this hour; the answer must not say so
        }

        db.StaffResetRequests.Add(new StaffPasswordResetRequest { Id = Guid.CreateVersion7(), Email = email, Ip = command.Ip, At = now });
        db.Publish(new StaffPasswordResetAsked(Guid.CreateVersion7(), tenantId, email));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Unit.Value;
    }
}

/// <summary>A staff forgot-password request within the limits, to be answered in the background. Tenancy's own; no other module reads it.</summary>
public sealed record StaffPasswordResetAsked(Guid EventId, Guid TenantId, string Email) : IIntegrationEvent;

/// <summary>
/// Off the request: looks the address up among the business's staff and, for a staff member, stores a reset token
/// (its hash) and asks Notifications to email the link (<see cref="StaffPasswordResetRequested"/>), in one
/// transaction with the processed mark.
/// </summary>
public sealed class StaffPasswordResetAskedHandler(TenancyDbContext db, ITenantContext tenant, PasswordResetLimits limits, TimeProvider clock, PublicOrigin origin)
    : INotificationHandler<StaffPasswordResetAsked>
{
    public async ValueTask Handle(StaffPasswordResetAsked evt, CancellationToken cancellationToken)
    {
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(StaffPasswordResetAskedHandler), cancellationToken))
        {
            return;
        }

        var staff = await db.Staff.AsNoTracking().FirstOrDefaultAsync(s => s.Email == evt.Email, cancellationToken);
        if (staff is not null)
        {
            var token = ResetTokens.NewToken();
            var now = clock.GetUtcNow();
            var reset = new StaffPasswordResetToken
            {
                Id = Guid.CreateVersion7(),
                StaffId = staff.Id,
                TokenHash = ResetTokens.Hash(token),
                CreatedAt = now,
                ExpiresAt = now + limits.ResetLinkLifetime,
            };
            db.StaffResetTokens.Add(reset);
            var business = tenant.Current!;
            // The configured origin, never a request's Host header (decision 66).
            var url = $"{origin.Value}/staff/reset-password?name={Uri.EscapeDataString(business.Slug)}&token={token}";
            db.Publish(new StaffPasswordResetRequested(Guid.CreateVersion7(), business.Id, staff.Id, staff.Email, staff.Name, url, reset.ExpiresAt));
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
