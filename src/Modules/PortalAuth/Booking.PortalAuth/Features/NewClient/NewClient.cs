using System.Text.Json.Serialization;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Booking.PortalAuth.Features.Me;
using Booking.PortalAuth.Features.Register;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.NewClient;

/// <summary>A pet as a client gives it: in the new-client flow and when adding one from the portal (<c>AddMyPet</c>).</summary>
public interface IPetFields
{
    string? Name { get; }

    string? Species { get; }

    string? Breed { get; }

    string? Notes { get; }
}

public sealed record NewPet(string? Name, string? Species, string? Breed, string? Notes) : IPetFields;

/// <summary>The one set of rules for a pet a client gives, wherever they give it.</summary>
public static class PetRules
{
    public const int MaxPerClient = 50;

    /// <summary>Pets a new client may name when joining: fewer than <see cref="MaxPerClient"/>, so joining needs no count.</summary>
    public const int MaxPerNewClient = 20;

    /// <summary>What a list of pets says on an entry that is null rather than a pet.</summary>
    public const string NoDetails = "Enter the pet's details.";

    public static void Apply<T>(AbstractValidator<T> pet)
        where T : IPetFields
    {
        pet.RuleFor(p => p.Name).NotEmpty().WithMessage("Enter the pet's name.").MaximumLength(100).WithMessage("Use at most 100 characters.").OneLine();
        pet.RuleFor(p => p.Species).NotEmpty().WithMessage("Enter the species (dog, cat…).").MaximumLength(60).WithMessage("Use at most 60 characters.").OneLine();
        pet.RuleFor(p => p.Breed).MaximumLength(100).WithMessage("Use at most 100 characters.").OneLine();
        pet.RuleFor(p => p.Notes).MaximumLength(2000).WithMessage("Use at most 2000 characters.").MultiLine(); // line breaks and tabs, nothing else (decision 271)
    }

    /// <summary>
    /// The pets given at once (the new-client flow) whose name, trimmed and in any case, an earlier one in the list has:
    /// each with its index and the earlier one's name as given. A client's pets on file have names of their own.
    /// </summary>
    public static IEnumerable<(int Index, string Name)> RepeatedNames(IReadOnlyList<IPetFields?>? pets)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < (pets?.Count ?? 0); i++)
        {
            var name = pets![i]?.Name?.Trim();
            if (string.IsNullOrEmpty(name))
            {
                continue;
            }

            if (seen.TryGetValue(name.ToLowerInvariant(), out var first))
            {
                yield return (i, first);
            }
            else
            {
                seen.Add(name.ToLowerInvariant(), name);
            }
        }
    }

    /// <summary>What the new-client flow says on the second of two pets given one name.</summary>
    public static string NamedTwice(string name) => $"You have already named a pet {name}. Give each pet a name of its own.";

    public static Pet Create(Guid clientId, IPetFields p) => Write(new Pet { Id = Guid.CreateVersion7(), ClientId = clientId }, p);

    /// <summary>Puts the given (validated) fields on the pet, tidied as stored: trimmed, an empty breed or note none.</summary>
    public static Pet Write(Pet pet, IPetFields p)
    {
        pet.Name = p.Name!.Trim();
        pet.Species = p.Species!.Trim();
        pet.Breed = string.IsNullOrWhiteSpace(p.Breed) ? null : p.Breed.Trim();
        pet.Notes = string.IsNullOrWhiteSpace(p.Notes) ? null : p.Notes.Trim();
        return pet;
    }

    /// <summary>
    /// Whether the client has room for one more pet on file, asked inside the caller's transaction after taking the
    /// client's row until it ends: every add and restore for one client takes turns here, so two at 49 pets cannot both
    /// count 49. <c>FOR NO KEY UPDATE</c>, not <c>FOR UPDATE</c>: it queues these writers alike but does not hold up
    /// rows that only point at the client (a reset link's foreign-key check). No client row (a missing or another
    /// business's id: RLS sees none) locks nothing; the caller's own lookup answers that.
    /// </summary>
    internal static async Task<bool> HasRoomAsync(PortalAuthDbContext db, Guid clientId, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM portalauth.clients WHERE id = {clientId} FOR NO KEY UPDATE", cancellationToken);
        return await db.Pets.CountAsync(p => p.ClientId == clientId, cancellationToken) < MaxPerClient; // on file only (Pet.OnFile)
    }
}

/// <param name="NotThatAccount">
/// The person says they are not the client who typed this number at email registration (an unproven claim): only then
/// is the claim taken over. Without it such a number is refused on <c>notThatAccount</c>, naming that account's email
/// masked, so its owner signs in there instead of becoming a second client (review J8).
/// </param>
public sealed record NewClient(string? FirstName, string? LastName, string? Email, IReadOnlyList<NewPet>? Pets, bool NotThatAccount = false) : ICommand<RegisteredClient>
{
    /// <summary>Trimmed before the validator checks it and before it is stored.</summary>
    public string? Email { get; init; } = EmailAddress.Tidy(Email);

    /// <summary>The verified attempt, from the new-client cookie; never from the body.</summary>
    [JsonIgnore]
    public Guid? AttemptId { get; init; }
}

public sealed class NewClientValidator : AbstractValidator<NewClient>
{
    public NewClientValidator()
    {
        RuleFor(x => x.FirstName).NotEmpty().WithMessage("Enter your first name.").MaximumLength(100).WithMessage("Use at most 100 characters.").OneLine();
        RuleFor(x => x.LastName).NotEmpty().WithMessage("Enter your last name.").MaximumLength(100).WithMessage("Use at most 100 characters.").OneLine();
        RuleFor(x => x.Email).Must(EmailAddress.IsValid).When(x => !string.IsNullOrEmpty(x.Email)).WithMessage("Enter a valid email address.");
        RuleFor(x => x.Pets).Must(p => p is null || p.Count <= PetRules.MaxPerNewClient).WithMessage($"At most {PetRules.MaxPerNewClient} pets.");
        // A null entry (`"pets":[null]`) is refused on its own index, wherever pets are booked for or not: ChildRules skip
        // a null, so without this "Add at least one pet" counted it and writing it threw (decision 281).
        RuleForEach(x => x.Pets).NotNull().WithMessage(PetRules.NoDetails).ChildRules(PetRules.Apply);
        RuleFor(x => x.Pets).Custom((pets, context) =>
        {
            foreach (var (index, name) in PetRules.RepeatedNames(pets))
            {
                context.AddFailure($"pets[{index}].name", PetRules.NamedTwice(name));
            }
        });
    }
}

/// <summary>
/// Turns a verified unknown phone into a client (pending approval when the business approves new clients). The
/// booking request that follows belongs to Appointments: a pending client can file it, staff accept or decline.
/// </summary>
/// <remarks>
/// The email given is never stored by this step, at any business (decisions 272 and 301): it goes through Your
/// details' confirmation link (decision 214, <see cref="EmailChangeLinks"/>), emailed to it when no client of the
/// business has it, and nothing is sent when one has; the client has no email (no sign-in email, no booking emails)
/// until the link is confirmed. A phone proves the mobile, not the mailbox: a typed address stored at once let its
/// mailbox's holder set a password through forgot-password and take the account (decision 301). A taken address gets
/// the free one's answer at every business (decision 321): neither this answer nor Your details afterwards tells
/// whether an address is a client's, and a household sharing one address can each join by phone. The taken address
/// stays its holder's alone: the new client has no email and no link is sent, so no second account signs in with it.
/// </remarks>
public sealed class NewClientHandler(
    PortalAuthDbContext db, ITenantContext tenant, IPortalRules portal, AddressLimits addressLimits, PortalAuthOptions options, PublicOrigin origin,
    IDataProtectionProvider protection, TimeProvider clock)
    : ICommandHandler<NewClient, RegisteredClient>
{
    private const string SignInWithIt = "sign in with it";

    private static ValidationFailure NoPet => new("pets", "Add at least one pet.");

    public async ValueTask<RegisteredClient> Handle(NewClient command, CancellationToken cancellationToken)
    {
        var rules = await portal.GetAsync(cancellationToken);
        if (!rules.TakesNewClients)
        {
            throw PortalProblems.NotAcceptingNewClients();
        }

        var now = clock.GetUtcNow();
        var attempt = command.AttemptId is { } id ? await db.Attempts.FirstOrDefaultAsync(a => a.Id == id, cancellationToken) : null;
        if (attempt is not { VerifiedAt: not null, ConsumedAt: null, ClientId: null, Purpose: CodePurpose.SignIn } || now > attempt.VerifiedAt + NewClientTicket.Lifetime)
        {
            throw ProblemException.Unauthenticated("Verify your mobile number first.");
        }

        // The business books for pets: an appointment needs a pet to be for. Said on `pets` (there is no pets[0] to
        // name), together with a mobile claim to answer: every field error in one answer.
        var noPet = rules.BooksForPets && command.Pets is not { Count: > 0 };
        var email = string.IsNullOrEmpty(command.Email) ? null : command.Email.ToLowerInvariant();
        string? linkTo = null;
        if (email is not null)
        {
            // The address is never stored by this step, at either kind of business (decision 301): the person proved a
            // mobile, not this mailbox, and a stored address would receive booking emails and open the account to its
            // mailbox's holder through forgot-password. A free one is sent the confirmation link; a taken one nothing,
            // and the answer is the same (decision 321): refusing it told anyone with a phone whether an address is a
            // client's, and kept a household sharing one address from joining each by their own mobile.
            linkTo = await db.Clients.AnyAsync(c => c.Email == email, cancellationToken) ? null : email;
        }

        try
        {
            await ClientJoining.EnsureFreeAsync(db, null, attempt.Mobile, SignInWithIt, cancellationToken, mobileProven: true,
                notThatAccount: command.NotThatAccount);
        }
        catch (ValidationException taken) when (noPet)
        {
            throw new ValidationException([.. taken.Errors, NoPet]);
        }

        if (noPet)
        {
            throw new ValidationException([NoPet]);
        }

        var client = new Client
        {
            Id = Guid.CreateVersion7(),
            FirstName = command.FirstName!.Trim(),
            LastName = command.LastName!.Trim(),
            Email = null, // only its confirmation link makes an address the client's (decision 301)
            Mobile = attempt.Mobile,
            MobileVerified = true, // proven by the code of the verified attempt
            MobileUsedAt = now,
            Status = rules.NewClientStatus,
            CreatedAt = now,
            AwaitingFirstRequest = true, // the portal opens once their booking request is filed (PRODUCT.md, seed 004)
        };
        if (rules.BooksForPets)
        {
            // A client who does not exist yet: nothing else adds to them before this commits, and MaxPerNewClient is
            // under the limit, so the pets need no count (adds and restores later take turns on the row: HasRoomAsync).
            client.Pets.AddRange((command.Pets ?? []).Select(p => PetRules.Create(client.Id, p)));
        }

        attempt.ConsumedAt = now;
        if (email is not null && await LinkAllowedAsync(email, cancellationToken) && linkTo is not null)
        {
            // Saved with the client, in the outbox: no client, no link. Confirming it later meets the unique index as Your
            // details' link does, and is refused in a dead link's words should the address be taken meanwhile.
            EmailChangeLinks.Publish(db, protection, origin, tenant.Current!, client, linkTo, now + options.EmailChangeLinkLifetime, now);
        }

        try
        {
            return await ClientJoining.SaveAsync(db, tenant.TenantId!.Value, client, "phone", SignInWithIt, cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation(PortalAuthDbContext.PetNameIndex))
        {
            // Two of the pets have names the database folds to one though the validator's case folding did not (its
            // lower() against .NET's): said on the last pet, as the validator says a repeat on the later one.
            var last = client.Pets.Count - 1;
            throw ProblemException.Invalid($"pets[{last}].name", PetRules.NamedTwice(client.Pets[last].Name));
        }
    }

    /// <summary>
    /// The email step's cap per address (<see cref="PortalAuthOptions.EmailChangesPerAddressPerHour"/>, across businesses),
    /// counted for a taken address as for a free one, as Your details' start counts it; over the cap no link is sent and
    /// the person joins all the same, so the cap is no oracle either.
    /// </summary>
    private async Task<bool> LinkAllowedAsync(string email, CancellationToken cancellationToken)
    {
        try
        {
            await addressLimits.CountAsync([new AddressCap($"email-change-to:{email}", options.EmailChangesPerAddressPerHour)], "", cancellationToken);
            return true;
        }
        catch (ProblemException refused) when (refused.Kind == ProblemKinds.RateLimited)
        {
            return false;
        }
    }
}

/// <summary>
/// For the new-client step: the masked email of a client who only claimed the verified attempt's number (typed it at
/// email registration), or null (no such client, or no verified unused attempt).
/// </summary>
public sealed record GetNewClientClaim(Guid? AttemptId) : IQuery<string?>;

public sealed class GetNewClientClaimHandler(PortalAuthDbContext db) : IQueryHandler<GetNewClientClaim, string?>
{
    public async ValueTask<string?> Handle(GetNewClientClaim query, CancellationToken cancellationToken)
    {
        var mobile = query.AttemptId is { } id
            ? await db.Attempts.AsNoTracking()
                .Where(a => a.Id == id && a.VerifiedAt != null && a.ConsumedAt == null && a.ClientId == null)
                .Select(a => a.Mobile)
                .FirstOrDefaultAsync(cancellationToken)
            : null;
        return mobile is null ? null : await MobileClaims.ClaimantEmailAsync(db, mobile, cancellationToken);
    }
}
