"""Operations on behalf of a user. Each commits once; web and API both call them."""
