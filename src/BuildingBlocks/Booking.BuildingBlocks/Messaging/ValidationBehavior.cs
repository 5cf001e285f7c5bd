using FluentValidation;
using Mediator;

namespace Booking.BuildingBlocks.Messaging;

/// <summary>Runs every validator of a message before its handler; all bad fields are reported together.</summary>
public sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken) =>
        // Most messages (the queries modules ask each other on every request) have no validator: straight on, with
        // no list or state machine allocated for them.
        validators is ICollection<IValidator<TMessage>> { Count: 0 }
            ? next(message, cancellationToken)
            : ValidateThenHandleAsync(message, next, cancellationToken);

    private async ValueTask<TResponse> ValidateThenHandleAsync(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(message, cancellationToken);
            failures.AddRange(result.Errors);
        }

        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }

        return await next(message, cancellationToken);
    }
}
