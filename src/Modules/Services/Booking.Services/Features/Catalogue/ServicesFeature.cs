using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Roster.Contracts;
using Booking.Services.Contracts;
using Booking.Services.Data;
using Booking.Services.Domain;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Booking.Services.Features.Catalogue;

/// <summary>
/// Input money: amount as a string ("45.00") or a number, digits and a decimal point only
/// (<see cref="MoneyAmount.TryRead"/>); currency optional but, if given, the business's. <see cref="AmountUnreadable"/>:
/// the body's amount was there but not such digits ("abc", "1e3", true); the validator says so on <c>price.amount</c>
/// beside every other field's problem (decision 277), where reading the JSON used to stop at it.
/// </summary>
public sealed record MoneyInput(decimal? Amount, string? Currency)
{
    public bool AmountUnreadable { get; init; }
}

/// <summary>
/// The price as the API's body carries it: the amount kept as the JSON value it was (string, number, or anything else),
/// read by <see cref="MoneyAmount.TryRead"/> when the command is made, so an unreadable amount is a field error among the
/// others rather than a JSON error that stops the body.
/// </summary>
public sealed record MoneyBody(System.Text.Json.JsonElement? Amount, string? Currency)
{
    public MoneyInput ToInput() => MoneyAmount.TryRead(Amount, out var amount)
        ? new MoneyInput(amount, Currency)
        : new MoneyInput(null, Currency) { AmountUnreadable = true };
}

public sealed record ServiceInput(
    string? Name,
    string? Description,
    int? DurationMinutes,
    int? BufferAfterMinutes,
    MoneyBody? Price,
    bool? BookableOnline,
    IReadOnlyList<Guid>? DiaryIds,
    IReadOnlyList<string?>? ForSpecies = null);

/// <summary>
/// The fields of a service as sent; every one is required (PUT replaces the whole object) but <see cref="ForSpecies"/>,
/// which came later: left out (null) it is empty on POST and stays as it is on PUT (a client written before it does not
/// wipe it; the rule of <c>kind</c>, <c>contact</c> and <c>dayBeforeCutoff</c>).
/// </summary>
public interface IServiceFields
{
    string? Name { get; }

    string? Description { get; }

    int? DurationMinutes { get; }

    int? BufferAfterMinutes { get; }

    MoneyInput? Price { get; }

    bool? BookableOnline { get; }

    IReadOnlyList<Guid>? DiaryIds { get; }

    IReadOnlyList<string?>? ForSpecies { get; }
}

public sealed record CreateService(
    string? Name,
    string? Description,
    int? DurationMinutes,
    int? BufferAfterMinutes,
    MoneyInput? Price,
    bool? BookableOnline,
    IReadOnlyList<Guid>? DiaryIds,
    IReadOnlyList<string?>? ForSpecies = null) : ICommand<ServiceView>, IServiceFields
{
    public static CreateService From(ServiceInput b) =>
        new(b.Name, b.Description, b.DurationMinutes, b.BufferAfterMinutes, b.Price?.ToInput(), b.BookableOnline, b.DiaryIds, b.ForSpecies);
}

public sealed record UpdateService(
    Guid Id,
    string? Name,
    string? Description,
    int? DurationMinutes,
    int? BufferAfterMinutes,
    MoneyInput? Price,
    bool? BookableOnline,
    IReadOnlyList<Guid>? DiaryIds,
    IReadOnlyList<string?>? ForSpecies = null) : ICommand<ServiceView>, IServiceFields
{
    public static UpdateService From(Guid id, ServiceInput b) =>
        new(id, b.Name, b.Description, b.DurationMinutes, b.BufferAfterMinutes, b.Price?.ToInput(), b.BookableOnline, b.DiaryIds, b.ForSpecies);
}

public sealed record RetireService(Guid Id) : ICommand;

/// <summary>A retired service offered again, as it was when retired (its diaries, online or not). Repeat-safe.</summary>
public sealed record RestoreService(Guid Id) : ICommand<ServiceView>;

/// <summary>
/// Field rules shared by POST and PUT; the price's decimals are the business's currency's (scoped: it reads the tenant).
/// What the stored facts decide (a live service's name, the business's diaries, the currency) is checked here too
/// (<see cref="ServiceWrites.FailuresAsync"/>), so every bad field is answered at once (decision 271), not one group per try.
/// </summary>
public abstract class ServiceFieldsValidator<T> : AbstractValidator<T>
    where T : IServiceFields
{
    protected ServiceFieldsValidator(ITenantContext tenant, ServicesDbContext db, ISender sender, Func<T, Guid?> except)
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage("Enter the service's name.")
            .MaximumLength(120).WithMessage("Use at most 120 characters.").OneLine();
        RuleFor(x => x.Description).NotNull().WithMessage("Give a description (empty is fine).")
            .MaximumLength(2000).WithMessage("Use at most 2000 characters.").MultiLine();
        RuleFor(x => x.DurationMinutes).NotNull().WithMessage("Give the duration in minutes.")
            .InclusiveBetween(Service.MinDuration, Service.MaxDuration).WithMessage($"Use {Service.MinDuration} to {Service.MaxDuration} minutes.");
        RuleFor(x => x.BufferAfterMinutes).NotNull().WithMessage("Give the buffer after in minutes (0 for none).")
            .InclusiveBetween(0, Service.MaxBuffer).WithMessage($"Use 0 to {Service.MaxBuffer} minutes.");
        RuleFor(x => x.Price).NotNull().WithMessage("Give the price, such as { \"amount\": \"45.00\" }.");
        When(x => x.Price is { AmountUnreadable: true }, () =>
            RuleFor(x => x.Price!.AmountUnreadable).Equal(false).WithMessage(MoneyAmount.Refusal).OverridePropertyName("price.amount"));
        When(x => x.Price is { AmountUnreadable: false }, () =>
        {
            RuleFor(x => x.Price!.Amount).NotNull().WithMessage("Give the amount, such as \"45.00\".")
                .GreaterThanOrEqualTo(0).WithMessage("The price cannot be negative.")
                .LessThan(10_000_000_000m).WithMessage("The price is too large.")
                .Must(a => a is null || CurrencyDigits.Fits(a.Value, TenantCurrency(tenant))).WithMessage(_ => DecimalsMessage(TenantCurrency(tenant)))
                .OverridePropertyName("price.amount");
        });
        RuleFor(x => x.BookableOnline).NotNull().WithMessage("Say whether clients may book this service online.");
        RuleFor(x => x.DiaryIds).NotNull().WithMessage("Give the diaries that provide this service online (an empty list for none).")
            .Must(ids => ids is null || ids.Count <= 500).WithMessage("Too many diaries.");
        RuleFor(x => x.ForSpecies).Must(list => list is null || list.Count <= Service.MaxForSpecies)
            .WithMessage($"Name at most {Service.MaxForSpecies} animals.");
        // Each entry's first problem, named by its index (one loop: a collection rule stops at its first bad entry).
        When(x => x.ForSpecies is { Count: <= Service.MaxForSpecies }, () => RuleFor(x => x.ForSpecies).Custom((list, context) =>
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < list!.Count; i++)
            {
                var word = list[i];
                var problem = string.IsNullOrWhiteSpace(word) ? "Enter an animal, such as dog, or leave this one out."
                    : word.Trim().Length > Service.MaxSpeciesLength ? $"Use at most {Service.MaxSpeciesLength} characters."
                    : OneLineText.Problem(word) is { } line ? line
                    : !seen.Add(word.Trim()) ? $"{word.Trim()} is given twice (any case). Give each animal once."
                    : null;
                if (problem is not null)
                {
                    context.AddFailure($"forSpecies[{i}]", problem);
                }
            }
        }));
        RuleFor(x => x).CustomAsync(async (command, context, cancellationToken) =>
        {
            foreach (var failure in await ServiceWrites.FailuresAsync(command, except(command), db, tenant, sender, cancellationToken))
            {
                context.AddFailure(failure);
            }
        });
    }

    /// <summary>"Use a whole amount: JPY has no decimals." / "Use at most 3 decimals." (ISO 4217 minor units, from ICU).</summary>
    public static string DecimalsMessage(string currency) => CurrencyDigits.Of(currency) switch
    {
        0 => $"Use a whole amount: {currency} has no decimals.",
        1 => "Use at most 1 decimal.",
        var n => $"Use at most {n} decimals.",
    };

    private static string TenantCurrency(ITenantContext tenant) => tenant.Current?.Currency ?? "";
}

public sealed class CreateServiceValidator(ITenantContext tenant, ServicesDbContext db, ISender sender)
    : ServiceFieldsValidator<CreateService>(tenant, db, sender, _ => null);

public sealed class UpdateServiceValidator(ITenantContext tenant, ServicesDbContext db, ISender sender)
    : ServiceFieldsValidator<UpdateService>(tenant, db, sender, x => x.Id);

internal static class ServiceWrites
{
    /// <summary>
    /// The currency must be the business's; the diaries must be the business's (the Roster module says which are); the
    /// name must not be another live service's, trimmed and in any case (two "Dup" services look alike in every picker;
    /// a retired one's name is free). Looked for before saving, as template names are.
    /// </summary>
    public static async Task CheckAsync(IServiceFields body, Guid? except, ServicesDbContext db, ITenantContext tenant, ISender sender, CancellationToken cancellationToken)
    {
        if (await FailuresAsync(body, except, db, tenant, sender, cancellationToken) is { Count: > 0 } failures)
        {
            throw new ValidationException(failures);
        }
    }

    /// <summary>
    /// <see cref="CheckAsync"/>'s findings, for the fields present: the validator asks them beside its own rules, and the
    /// handler again under the service's lock (a name taken meanwhile).
    /// </summary>
    public static async Task<List<FluentValidation.Results.ValidationFailure>> FailuresAsync(
        IServiceFields body, Guid? except, ServicesDbContext db, ITenantContext tenant, ISender sender, CancellationToken cancellationToken)
    {
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        if (!string.IsNullOrWhiteSpace(body.Name) && body.Name.Length <= 120 && await LiveNamedAsync(db, body.Name, except, cancellationToken) is not null)
        {
            failures.Add(new FluentValidation.Results.ValidationFailure("name", NameTakenMessage));
        }

        var currency = tenant.Currency();
        if (body.Price?.Currency is { } given && !string.Equals(given, currency, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add(new FluentValidation.Results.ValidationFailure("price.currency", $"Prices are in the business's currency, {currency}."));
        }

        if (body.DiaryIds is { Count: > 0 and <= 500 } ids)
        {
            var known = (await sender.Send(new GetDiaries(ids.Distinct().ToList()), cancellationToken)).Select(d => d.Id).ToHashSet();
            failures.AddRange(ids.Select((id, i) => (id, i)).Where(x => !known.Contains(x.id))
                .Select(x => new FluentValidation.Results.ValidationFailure($"diaryIds[{x.i}]", "No such diary in this business.")));
        }

        return failures;
    }

    public const string NameTakenMessage = "Another service already has this name. Choose a different name.";

    /// <summary>
    /// The name of another live service of the business called <paramref name="name"/>, trimmed and in any case (what
    /// the unique index <see cref="ServicesDbContext.LiveNameIndex"/> compares: names are stored trimmed), or null.
    /// </summary>
    public static async Task<string?> LiveNamedAsync(ServicesDbContext db, string name, Guid? except, CancellationToken cancellationToken)
    {
        var wanted = name.Trim().ToLowerInvariant();
#pragma warning disable CA1862 // EF translates ToLower() to PostgreSQL's lower(); string.Equals with a StringComparison is not translated
        return await db.Services.Where(s => s.RetiredAt == null && s.Id != except && s.Name.ToLower() == wanted)
            .Select(s => s.Name).FirstOrDefaultAsync(cancellationToken);
#pragma warning restore CA1862
    }

    /// <summary>
    /// Saves a new, changed or restored service. A live service given the same name by another save since the look
    /// (two saves at one instant both found the name free) meets the unique index, and is answered as the look would
    /// have answered it: <paramref name="taken"/>, `validation` on `name`, never a 500.
    /// </summary>
    public static async Task SaveAsync(ServicesDbContext db, Func<FluentValidation.ValidationException> taken, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation(ServicesDbContext.LiveNameIndex))
        {
            throw taken();
        }
    }

    public static FluentValidation.ValidationException NameTaken() => ProblemException.Invalid("name", NameTakenMessage);

    public static void Apply(Service service, IServiceFields body)
    {
        service.Name = body.Name!.Trim();
        service.Description = body.Description!.Trim();
        service.DurationMinutes = body.DurationMinutes!.Value;
        service.BufferAfterMinutes = body.BufferAfterMinutes!.Value;
        service.PriceAmount = body.Price!.Amount!.Value;
        service.BookableOnline = body.BookableOnline!.Value;
        if (body.ForSpecies is { } species)
        {
            // Left out on PUT: kept as it is (a client written before the field); on POST the new service's list is empty.
            service.ForSpecies = species.Select(w => w!.Trim()).ToList();
        }
        var wanted = body.DiaryIds!.Distinct().ToList();
        service.Diaries.RemoveAll(d => !wanted.Contains(d.DiaryId));
        foreach (var id in wanted.Where(id => service.Diaries.All(d => d.DiaryId != id)))
        {
            service.Diaries.Add(new ServiceDiary { ServiceId = service.Id, DiaryId = id });
        }
    }
}

public sealed class CreateServiceHandler(ServicesDbContext db, ITenantContext tenant, ISender sender, TimeProvider clock) : ICommandHandler<CreateService, ServiceView>
{
    public async ValueTask<ServiceView> Handle(CreateService command, CancellationToken cancellationToken)
    {
        await ServiceWrites.CheckAsync(command, null, db, tenant, sender, cancellationToken);
        var now = clock.GetUtcNow();
        var service = new Service { Id = Guid.CreateVersion7(), CreatedAt = now, UpdatedAt = now };
        ServiceWrites.Apply(service, command);
        db.Services.Add(service);
        await ServiceWrites.SaveAsync(db, ServiceWrites.NameTaken, cancellationToken);
        return ServiceViews.From(service, tenant.Currency());
    }
}

public sealed class UpdateServiceHandler(ServicesDbContext db, ITenantContext tenant, ISender sender, TimeProvider clock) : ICommandHandler<UpdateService, ServiceView>
{
    public async ValueTask<ServiceView> Handle(UpdateService command, CancellationToken cancellationToken)
    {
        // Two changes of one service at once take turns on its row, and each reads the diaries the other saved: the
        // service ends with one of the two lists, never both.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM services.services WHERE id = {command.Id} FOR UPDATE", cancellationToken);
        var service = await db.Services.Include(s => s.Diaries).FirstOrDefaultAsync(s => s.Id == command.Id, cancellationToken)
            ?? throw ProblemException.NotFound("Service not found.");
        await ServiceWrites.CheckAsync(command, service.Id, db, tenant, sender, cancellationToken);
        ServiceWrites.Apply(service, command);
        service.UpdatedAt = clock.GetUtcNow();
        await ServiceWrites.SaveAsync(db, ServiceWrites.NameTaken, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ServiceViews.From(service, tenant.Currency());
    }
}

/// <summary>Retiring keeps the row (past appointments name it); a second DELETE is harmless.</summary>
public sealed class RetireServiceHandler(ServicesDbContext db, TimeProvider clock) : ICommandHandler<RetireService>
{
    public async ValueTask<Unit> Handle(RetireService command, CancellationToken cancellationToken)
    {
        var service = await db.Services.FirstOrDefaultAsync(s => s.Id == command.Id, cancellationToken)
            ?? throw ProblemException.NotFound("Service not found.");
        if (service.RetiredAt is null)
        {
            service.RetiredAt = clock.GetUtcNow();
            service.UpdatedAt = service.RetiredAt.Value;
            await db.SaveChangesAsync(cancellationToken);
        }

        return Unit.Value;
    }
}

/// <summary>
/// Undoes a retirement (a mis-click on Retire must not cost the service its id and history). A retired service's name
/// is free while it is retired; coming back, it must not share a name with a live service (decision 210): refused on
/// `name`, saying which service has it, and nothing changes until one of the two is renamed.
/// </summary>
public sealed class RestoreServiceHandler(ServicesDbContext db, ITenantContext tenant, TimeProvider clock) : ICommandHandler<RestoreService, ServiceView>
{
    public async ValueTask<ServiceView> Handle(RestoreService command, CancellationToken cancellationToken)
    {
        var service = await db.Services.Include(s => s.Diaries).FirstOrDefaultAsync(s => s.Id == command.Id, cancellationToken)
            ?? throw ProblemException.NotFound("Service not found.");
        if (service.RetiredAt is not null)
        {
            if (await ServiceWrites.LiveNamedAsync(db, service.Name, service.Id, cancellationToken) is { } live)
            {
                throw NameTaken(live);
            }

            service.RetiredAt = null;
            service.UpdatedAt = clock.GetUtcNow();
            await ServiceWrites.SaveAsync(db, () => NameTaken(service.Name), cancellationToken);
        }

        return ServiceViews.From(service, tenant.Currency());
    }

    /// <summary>Restoring would make two live services of one name: the other's name is said, as it is spelt.</summary>
    public static FluentValidation.ValidationException NameTaken(string live) =>
        ProblemException.Invalid("name", $"Another service is already called {live}. Rename one of the two first, then restore this one.");
}
