using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Booking.PortalAuth.Features.FirstRequestGate;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.SignIn;

public sealed record PortalSignIn(string? Email, string? Password) : ICommand<SignedInClient>
{
    /// <summary>Trimmed before the validator checks it and before it is looked up.</summary>
    public string? Email { get; init; } = EmailAddress.Tidy(Email);
}

public sealed record SignedInClient(Guid Id, string FirstName, string LastName)
{
    /// <summary>For the session (<see cref="Domain.Client.AwaitingFirstRequest"/>, as <see cref="FirstRequestOwed"/> reads it); not part of the answer.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool AwaitingFirstRequest { get; init; }
}

public sealed class PortalSignInValidator : AbstractValidator<PortalSignIn>
{
    public PortalSignInValidator()
    {
        RuleFor(x => x.Email).Must(EmailAddress.IsValid).WithMessage("Enter a valid email address.");
        RuleFor(x => x.Password).NotEmpty().WithMessage("Enter your password.")
            .MaximumLength(1024).WithMessage("Use at most 1024 characters.");
    }
}

/// <summary>
/// Unknown email, a client without a password and a wrong password answer alike and take the same time (a dummy
/// hash is verified), and all count towards the address's lockout, so sign-in reveals nothing about who is a client.
/// </summary>
public sealed class PortalSignInHandler(PortalAuthDbContext db, IPortalRules portal, PasswordHashing passwords, PasswordThrottle throttle, ISender sender)
    : ICommandHandler<PortalSignIn, SignedInClient>
{
    public async ValueTask<SignedInClient> Handle(PortalSignIn command, CancellationToken cancellationToken)
    {
        if (!(await portal.GetAsync(cancellationToken)).EmailSignIn)
        {
            throw PortalProblems.MethodOff("email and password");
        }

        var email = command.Email!.ToLowerInvariant();
        await throttle.BeginTryAsync(db, email, cancellationToken);
        var client = await db.Clients.FirstOrDefaultAsync(c => c.Email == email, cancellationToken);
        var check = passwords.Verify(client?.PasswordHash, command.Password!);
        if (client is null || check == PasswordCheck.Wrong)
        {
            throw ProblemException.Unauthenticated("The email or password is not right.");
        }

        if (check == PasswordCheck.RightNeedsRehash)
        {
            client.PasswordHash = passwords.Hash(command.Password!);
            await db.SaveChangesAsync(cancellationToken);
        }

        await throttle.ClearAsync(db, email, cancellationToken);
        return new SignedInClient(client.Id, client.FirstName, client.LastName)
        {
            AwaitingFirstRequest = await FirstRequestOwed.StillAsync(sender, client.Id, client.AwaitingFirstRequest, cancellationToken),
        };
    }
}
