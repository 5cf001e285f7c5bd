using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Web;
using Booking.Roster.Contracts;
using Booking.Roster.Data;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using RulesRow = Booking.Roster.Domain.BookingRules;

namespace Booking.Roster.Features.Rules;

/// <summary>PUT replaces the rules: every field is required.</summary>
public sealed record UpdateBookingRules(int? SlotIntervalMinutes, int? MinimumNoticeMinutes, int? HorizonDays) : ICommand<BookingRulesView>;

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
        rules.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return new BookingRulesView(rules.SlotIntervalMinutes, rules.MinimumNoticeMinutes, rules.HorizonDays);
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
