using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.Tenancy.Data;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Tenancy.Features.StaffSignIn;

public sealed record StaffSignIn(string? Email, string? Password) : ICommand<SignedInStaff>;

public sealed record SignedInStaff(Guid Id, string Name, string Role);

public sealed class StaffSignInValidator : AbstractValidator<StaffSignIn>
{
    public StaffSignInValidator()
    {
        RuleFor(x => x.Email).Must(EmailAddress.IsValid).WithMessage("Enter a valid email address.");
        RuleFor(x => x.Password).NotEmpty().WithMessage("Enter your password.")
            .MaximumLength(1024).WithMessage("Use at most 1024 characters.");
    }
}

/// <summary>
/// Unknown email and wrong password answer alike, in the same time (a dummy hash is verified), and count
/// towards the same lockout, so sign-in reveals nothing about who has an account.
/// </summary>
public sealed class StaffSignInHandler(TenancyDbContext db, PasswordHashing passwords, PasswordThrottle throttle) : ICommandHandler<StaffSignIn, SignedInStaff>
{
    public async ValueTask<SignedInStaff> Handle(StaffSignIn command, CancellationToken cancellationToken)
    {
        var email = command.Email!.ToLowerInvariant();
        await throttle.BeginTryAsync(db, email, cancellationToken);
        var staff = await db.Staff.FirstOrDefaultAsync(s => s.Email == email, cancellationToken);
        var check = passwords.Verify(staff?.PasswordHash, command.Password!);
        if (staff is null || check == PasswordCheck.Wrong)
        {
            throw ProblemException.Unauthenticated("The email or password is not right.");
        }

        if (check == PasswordCheck.RightNeedsRehash)
        {
            staff.PasswordHash = passwords.Hash(command.Password!);
            await db.SaveChangesAsync(cancellationToken);
        }

        await throttle.ClearAsync(db, email, cancellationToken);
        return new SignedInStaff(staff.Id, staff.Name, staff.Role);
    }
}
