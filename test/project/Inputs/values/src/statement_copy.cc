#include "statement.h"

Statement::Statement(const Statement &other)
    : result_(other.result_), args_(other.args_) {}
