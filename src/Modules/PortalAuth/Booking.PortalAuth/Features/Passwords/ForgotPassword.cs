using System.Security.Cryptography;
using System.Text;
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
}

public sealed class ForgotPasswordValidator : AbstractValidator<ForgotPassword>
{
    public ForgotPasswordValidator() =>
        RuleFor(x => x.Email).Must(EmailAddress.IsValid).WithMessage("Enter a valid email address.");
}

/// <summary>Always the same answer; a link goes out (through Notifications) only to a registered address.</summary>
public sealed class ForgotPasswordHandler(PortalAuthDbContext db, ITenantContext tenant, IPortalRules portal, PortalAuthOptions options, TimeProvider clock,
    PublicOrigin origin)
    : ICommandHandler<ForgotPassword, Unit>
{
    public async ValueTask<Unit> Handle(ForgotPassword command, CancellationToken cancellationToken)
    {
        if (!(await portal.GetAsync(cancellationToken)).EmailSignIn)
        {
            throw PortalProblems.MethodOff("email and password");
        }

        var email = command.Email!.ToLowerInvariant();
        var client = await db.Clients.AsNoTracking().FirstOrDefaultAsync(c => c.Email == email, cancellationToken);
        if (client is null)
        {
            return Unit.Value;
        }

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
        // The configured origin, never the request's Host header: that would let anyone send a client's token elsewhere.
        var url = $"{origin.Value}/ol/reset-password?name={Uri.EscapeDataString(business.Slug)}&token={token}";
        db.Publish(new PasswordResetRequested(Guid.CreateVersion7(), business.Id, client.Id, email, client.FirstName, url, reset.ExpiresAt));
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}

public static class ResetTokens
{
    /// <summary>256 random bits, URL-safe.</summary>
    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
