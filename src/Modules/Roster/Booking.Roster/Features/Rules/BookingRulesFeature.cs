using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Web;
using Booking.Roster.Contracts;
using Booking.Roster.Data;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using RulesRow = Booking.Roster.Domain.BookingRules;

namespace Booking.Roster.Features.Rules;

/// <summary>
/// PUT replaces the rules: every field of API.md is required. DayBeforeCutoff (added after it, decision 290) is optional,
/// a JsonElement as portal settings' timeFormat is: left out (undefined), the cut-off stays as it is, so a client written
/// before it does not wipe it; null removes it; else "HH:mm". A property, not a parameter, for the same OpenAPI reason.
/// </summary>
public sealed record UpdateBookingRules(int? SlotIntervalMinutes, int? MinimumNoticeMinutes, int? HorizonDays) : ICommand<BookingRulesView>
{
    /// <summary>"HH:mm" (00:01–23:59) or null for none; left out, the cut-off stays.</summary>
    public JsonElement DayBeforeCutoff { get; init; }

    /// <summary>The body names dayBeforeCutoff (a time or null); left out, the cut-off stays.</summary>
    public bool SetsDayBeforeCutoff() => DayBeforeCutoff.ValueKind != JsonValueKind.Undefined;

    /// <summary>The cut-off asked for; null for none (or a value the validator refuses).</summary>
    public TimeOnly? DayBeforeCutoffTime() =>
        DayBeforeCutoff.ValueKind == JsonValueKind.String ? DayBeforeCutoffRule.Parse(DayBeforeCutoff.GetString()) : null;
}

/// <summary>The day-before cut-off's wire form and its words (the API's and the Setup page's).</summary>
public static partial class DayBeforeCutoffRule
{
    public const string Field = "dayBeforeCutoff";

    public const string BadFormat = "Give the time as \"HH:mm\" on a 24-hour clock, for example \"20:00\", or null for no cut-off.";

    public const string OutOfRange = "Use a time from 00:01 to 23:59. Midnight is not taken: it would leave unclear which night is meant; use 23:59 to close at the end of the day before.";

    [GeneratedRegex(@"^[0-9]{2}:[0-9]{2}\z")]
    private static partial Regex Shape();

    /// <summary>A time of the shape "HH:mm", whatever its numbers.</summary>
    public static bool HasShape(string? text) => text is not null && Shape().IsMatch(text);

    /// <summary>"HH:mm" from 00:01 to 23:59; anything else null.</summary>
    public static TimeOnly? Parse(string? text) =>
        HasShape(text) && TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) && time != TimeOnly.MinValue
            ? time
            : null;

    /// <summary>Null when the value is fine (left out, null, or a time in range), else the words for it.</summary>
    public static string? Problem(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => null,
        JsonValueKind.String when !HasShape(value.GetString()) => BadFormat,
        JsonValueKind.String => Parse(value.GetString()) is null ? OutOfRange : null,
        _ => BadFormat,
    };
}

public sealed class UpdateBookingRulesValidator : AbstractValidator<UpdateBookingRules>
{
    public UpdateBookingRulesValidator()
    {
        RuleFor(x => x.SlotIntervalMinutes).NotNull().WithMessage("Choose the slot interval.")
            .Must(v => v is null || RulesRow.SlotIntervals.Contains(v.Value))
            .WithMessage($"Choose one of {string.Join(", ", RulesRow.SlotIntervals)} minutes.");
        RuleFor(x => x.MinimumNoticeMinutes).NotNull().WithMessage("Give the minimum notice in minutes.")
            .InclusiveBetween(0, RulesRow.MaxMinimumNoticeMinutes).WithMessage($"Use 0 to {RulesRow.MaxMinimumNoticeMinutes:N0} minutes (30 days).");
        RuleFor(x => x.HorizonDays).NotNull().WithMessage("Give the booking horizon in days.")
            .InclusiveBetween(1, RulesRow.MaxHorizonDays).WithMessage($"Use 1 to {RulesRow.MaxHorizonDays} days.");
        RuleFor(x => x).Custom((command, context) =>
        {
            if (DayBeforeCutoffRule.Problem(command.DayBeforeCutoff) is { } problem)
            {
                context.AddFailure(new ValidationFailure(DayBeforeCutoffRule.Field, problem));
            }
        });
    }
}

public sealed class UpdateBookingRulesHandler(RosterDbContext db, TimeProvider clock) : ICommandHandler<UpdateBookingRules, BookingRulesView>
{
    /// <summary>A business's first rules saved twice at once: the second meets the first's row in its key and is saved over it.</summary>
    public async ValueTask<BookingRulesView> Handle(UpdateBookingRules command, CancellationToken cancellationToken) =>
        await db.RetryOnConcurrentChangeAsync(() => SaveAsync(command, cancellationToken), ex => ex.IsUniqueViolation());

    private async Task<BookingRulesView> SaveAsync(UpdateBookingRules command, CancellationToken cancellationToken)
    {
        var rules = await db.BusinessRules.FirstOrDefaultAsync(cancellationToken);
        if (rules is null)
        {
            rules = new RulesRow();
            db.BookingRules.Add(rules);
        }

        rules.SlotIntervalMinutes = command.SlotIntervalMinutes!.Value;
        rules.MinimumNoticeMinutes = command.MinimumNoticeMinutes!.Value;
        rules.HorizonDays = command.HorizonDays!.Value;
        if (command.SetsDayBeforeCutoff())
        {
            rules.DayBeforeCutoff = command.DayBeforeCutoffTime();
        }

        rules.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return rules.ToView();
    }
}

public static class BookingRulesEndpoints
{
    public static void MapBookingRules(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/admin/booking-rules", async (ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetBookingRules(), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("GetBookingRules")
            .WithTags("Setup")
            .Produces<BookingRulesView>();

        app.MapPut("/api/v1/admin/booking-rules", async (UpdateBookingRules command, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(command, ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("UpdateBookingRules")
            .Answers(409, ProblemKinds.ChangedMeanwhile)
            .WithTags("Setup")
            .Accepts<UpdateBookingRules>("application/json")
            .Produces<BookingRulesView>()
            .ProducesValidationProblem();
    }
}
